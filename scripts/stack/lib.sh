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

# go_install_once <bin dir> <module/cmd/name@version> <what>: builds a Go command once from the module proxy.
go_install_once() {
  local dir=$1 pkg=$2 what=$3 name
  name="$(basename "${pkg%@*}")"
  [ -x "${dir}/${name}" ] && return 0
  log "building ${what} from the Go module proxy (once)"
  GOBIN="${dir}" GOMODCACHE="${HOME}/.cache/mantis/go/mod" GOFLAGS=-mod=mod go install "${pkg}"
}

# pip_install_once <venv> <what> <requirement…>: a virtual environment with the requirements, made once;
# installed again (into the same environment) when the requirements change.
pip_install_once() {
  local venv=$1 what=$2
  shift 2
  [ -f "${venv}/.complete" ] && [ "$(cat "${venv}/.complete")" = "$*" ] && return 0
  log "installing ${what} from PyPI (once)"
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install -q --disable-pip-version-check "$@"
  echo "$*" > "${venv}/.complete"
}
