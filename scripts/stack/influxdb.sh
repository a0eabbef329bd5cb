#!/usr/bin/env bash
# InfluxDB 1.8.3 with the v2 compatibility API (/api/v2/write, Flux on /api/v2/query), built once from the Go
# module proxy and cached (about 10 minutes on two cores). Debian's InfluxDB 1.6 has no v2 endpoints. Idempotent.
#   influxdb.sh build   builds ~/.cache/mantis/stack/influxdb-<version>/influxd unless it is there
#   influxdb.sh path    prints the binary's path
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "${HERE}/lib.sh"
VERSION="v1.8.3"
BIN_DIR="${MANTIS_INFLUXDB_DIR:-${STACK_CACHE}/influxdb-${VERSION}}"

case "${1:-build}" in
  build) go_install_once "${BIN_DIR}" "github.com/influxdata/influxdb/cmd/influxd@${VERSION}" "influxd ${VERSION}" ;;
  path) echo "${BIN_DIR}/influxd" ;;
  *) echo "usage: $0 build|path" >&2; exit 2 ;;
esac
