#!/usr/bin/env bash
# An MLflow tracking server from PyPI, with its basic-auth app, in a virtual environment under ~/.cache (the doctor,
# model tracking and model serving tests start it).
# Usage: mlflow.sh install|path
source "$(dirname "$0")/lib.sh"
MLFLOW_VERSION="${MANTIS_MLFLOW_VERSION:-3.17.2}"
VENV="${HOME}/.cache/mantis/mlflow-${MLFLOW_VERSION}"
case "${1:-}" in
  install) pip_install_once "${VENV}" "MLflow ${MLFLOW_VERSION}" "mlflow[auth]==${MLFLOW_VERSION}" ;;
  path) echo "${VENV}/bin/mlflow" ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
