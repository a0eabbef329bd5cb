#!/usr/bin/env bash
# pyarrow from PyPI in a virtual environment under ~/.cache: an independent Parquet reader that the export
# tests read `mantis etl export-*` files back with.
# Usage: parquet-readers.sh install|path   (path: the environment's python3)
source "$(dirname "$0")/lib.sh"
PYARROW_VERSION="${MANTIS_PYARROW_VERSION:-26.0.1}"
VENV="${HOME}/.cache/mantis/parquet-readers-${PYARROW_VERSION}"
case "${1:-}" in
  install) pip_install_once "${VENV}" "pyarrow ${PYARROW_VERSION}" "pyarrow==${PYARROW_VERSION}" ;;
  path) echo "${VENV}/bin/python3" ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
