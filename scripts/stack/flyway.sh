#!/usr/bin/env bash
# Flyway's engine (flyway-core and flyway-database-postgresql, with the PostgreSQL JDBC driver) from Maven
# Central, run through its Java API by FlywayRunner.java on migrations/ with MANTIS's history table, so that
# the migrations are checked against Flyway itself. The command-line bundle is not used: not all of its
# dependencies are on Maven Central.
# Usage: flyway.sh fetch
#        MANTIS_DATABASE_URL=postgres://… flyway.sh migrate|validate|info [name=value…]   (placeholders)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "${HERE}/lib.sh"
FLYWAY_VERSION="${MANTIS_FLYWAY_VERSION:-13.12.1}"
PGJDBC_VERSION="42.7.14"
ROOT="$(cd "${HERE}/../.." && pwd)"
HOME_DIR="${STACK_CACHE}/flyway-${FLYWAY_VERSION}"
LIBS="${HOME_DIR}/libs"
M2="${HOME}/.cache/mantis/m2"

fetch() {
  if [ ! -f "${LIBS}/.complete" ]; then
    log "fetching Flyway ${FLYWAY_VERSION} and the PostgreSQL JDBC driver from Maven Central"
    mkdir -p "${HOME_DIR}"
    sed -e "s/@FLYWAY_VERSION@/${FLYWAY_VERSION}/g" -e "s/@PGJDBC_VERSION@/${PGJDBC_VERSION}/g" \
      "${HERE}/flyway-pom.xml" >"${HOME_DIR}/pom.xml"
    mvn -q -B -f "${HOME_DIR}/pom.xml" -Dmaven.repo.local="${M2}" \
      dependency:copy-dependencies -DoutputDirectory="${LIBS}" -DincludeScope=runtime
    touch "${LIBS}/.complete"
  fi
  # Compiled again whenever the runner's source changes.
  local sum
  sum="$(sha256sum "${HERE}/FlywayRunner.java" | cut -c1-16)"
  if [ ! -f "${HOME_DIR}/classes-${sum}/FlywayRunner.class" ]; then
    log "compiling FlywayRunner.java"
    rm -rf "${HOME_DIR}"/classes-*
    javac -nowarn -cp "${LIBS}/*" -d "${HOME_DIR}/classes-${sum}" "${HERE}/FlywayRunner.java"
  fi
  CLASSES="${HOME_DIR}/classes-${sum}"
}

case "${1:-}" in
  fetch) fetch ;;
  migrate | validate | info)
    fetch
    # Relative locations (filesystem:migrations) are the repository's.
    cd "${ROOT}" || exit 1
    # Flyway's own update check and telemetry have nothing to reach here.
    REDGATE_DISABLE_TELEMETRY=true exec java -XX:TieredStopAtLevel=1 -cp "${LIBS}/*:${CLASSES}" FlywayRunner "$@"
    ;;
  *) echo "usage: $0 fetch | migrate|validate|info [--locations=…] [--table=…] [name=value…]" >&2; exit 2 ;;
esac
