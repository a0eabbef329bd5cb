#!/usr/bin/env bash
# Shared by the stack scripts: where things are cached and kept, and small helpers.
set -euo pipefail
# Debian keeps runuser and friends in sbin, which a non-login PATH may lack.
export PATH="${PATH}:/usr/sbin:/sbin"
STACK_CACHE="${HOME}/.cache/mantis/stack"
# Outside $HOME: the postgres user must reach its data folder.
STACK_RUN="${MANTIS_STACK_DIR:-/var/tmp/mantis-stack}"
mkdir -p "${STACK_CACHE}" "${STACK_RUN}"
chmod 755 "${STACK_RUN}"

log() { printf '[stack] %s\n' "$*" >&2; }

# wait_for <seconds> <description> <command…>: retries the command until it succeeds.
wait_for() {
  local timeout=$1 what=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "${what} not ready after ${timeout}s"
      return 1
    fi
    sleep 0.5
  done
  log "${what} ready"
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "${pkg}" >/dev/null 2>&1 || missing+=("${pkg}"); done
  if ((${#missing[@]} > 0)); then
    log "installing ${missing[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
