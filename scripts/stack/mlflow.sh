#!/usr/bin/env bash
# An MLflow tracking server from PyPI, in a virtual environment under ~/.cache (mantis doctor tests start it).
# Usage: mlflow.sh install|path
source "$(dirname "$0")/lib.sh"
MLFLOW_VERSION="${MANTIS_MLFLOW_VERSION:-3.17.2}"
VENV="${HOME}/.cache/mantis/mlflow-${MLFLOW_VERSION}"

install() {
  [ -x "${VENV}/bin/mlflow" ] && return 0
  log "installing MLflow ${MLFLOW_VERSION} from PyPI (about two minutes, once)"
  python3 -m venv "${VENV}"
  "${VENV}/bin/pip" install -q --disable-pip-version-check "mlflow==${MLFLOW_VERSION}"
}

case "${1:-}" in
  install) install ;;
  path) echo "${VENV}/bin/mlflow" ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
