#!/usr/bin/env bash
# PostgreSQL 15 from Debian, as its own cluster in the stack folder on port 5432 (MANTIS_PG_PORT).
# Usage: postgres.sh start|stop|restart|status|url
source "$(dirname "$0")/lib.sh"
PG_PORT="${MANTIS_PG_PORT:-5432}"
PG_DATA="${STACK_RUN}/postgres"
PG_BIN=/usr/lib/postgresql/15/bin
PG_URL="postgres://mantis:mantis@127.0.0.1:${PG_PORT}/mantis"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
  apt_install postgresql-15 postgresql-client-15
  if [ ! -f "${PG_DATA}/PG_VERSION" ]; then
    log "initialising a cluster in ${PG_DATA}"
    mkdir -p "${PG_DATA}"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "${PG_DATA}"
    as_postgres "${PG_BIN}/initdb" -D "${PG_DATA}" -U postgres --auth=trust -E UTF8 >/dev/null
    cat >>"${PG_DATA}/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = ${PG_PORT}
unix_socket_directories = '${PG_DATA}'
max_connections = 200
shared_buffers = 512MB
synchronous_commit = on
fsync = on
CONF
  fi
}

running() { as_postgres "${PG_BIN}/pg_ctl" -D "${PG_DATA}" status >/dev/null 2>&1; }

start() {
  install
  if ! running; then
    as_postgres "${PG_BIN}/pg_ctl" -D "${PG_DATA}" -l "${PG_DATA}/server.log" -w -t 60 start >/dev/null
  fi
  wait_for 60 "postgres on ${PG_PORT}" "${PG_BIN}/pg_isready" -h 127.0.0.1 -p "${PG_PORT}"
  psql -h 127.0.0.1 -p "${PG_PORT}" -U postgres -qtAc "SELECT 1 FROM pg_roles WHERE rolname = 'mantis'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "${PG_PORT}" -U postgres -qc "CREATE ROLE mantis LOGIN SUPERUSER PASSWORD 'mantis'"
  psql -h 127.0.0.1 -p "${PG_PORT}" -U postgres -qtAc "SELECT 1 FROM pg_database WHERE datname = 'mantis'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "${PG_PORT}" -U postgres -qc "CREATE DATABASE mantis OWNER mantis"
}

stop() {
  if running; then as_postgres "${PG_BIN}/pg_ctl" -D "${PG_DATA}" -m fast -w stop >/dev/null; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  status) running && echo "postgres running on ${PG_PORT}" || { echo "postgres stopped"; exit 1; } ;;
  url) echo "${PG_URL}" ;;
  *) echo "usage: $0 start|stop|restart|status|url" >&2; exit 2 ;;
esac
