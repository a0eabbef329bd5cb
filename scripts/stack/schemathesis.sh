#!/usr/bin/env bash
# Schemathesis from PyPI in a virtual environment under ~/.cache: the property-based API tester that the
# contract suite runs against a live api target and its /openapi.json.
# Usage: schemathesis.sh install|path   (path: the environment's `st` command)
source "$(dirname "$0")/lib.sh"
SCHEMATHESIS_VERSION="${MANTIS_SCHEMATHESIS_VERSION:-4.32.5}"
VENV="${HOME}/.cache/mantis/schemathesis-${SCHEMATHESIS_VERSION}"
case "${1:-}" in
  install) pip_install_once "${VENV}" "schemathesis ${SCHEMATHESIS_VERSION}" "schemathesis==${SCHEMATHESIS_VERSION}" ;;
  path) echo "${VENV}/bin/st" ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
