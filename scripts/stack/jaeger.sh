#!/usr/bin/env bash
# Jaeger (OTLP in, query API out), built once from the Go module proxy and cached. Idempotent.
#   jaeger.sh build   builds ~/.cache/mantis/stack/jaeger-<version>/jaeger unless it is there
#   jaeger.sh path    prints the binary's path
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "${HERE}/lib.sh"
VERSION="v1.76.0"
BIN_DIR="${MANTIS_JAEGER_DIR:-${STACK_CACHE}/jaeger-${VERSION}}"
BIN="${BIN_DIR}/jaeger"

build() {
  [[ -x "${BIN}" ]] && return 0
  log "building jaeger ${VERSION} from the Go module proxy (once; a few minutes)"
  export GOPATH="${HOME}/.cache/mantis/go" GOMODCACHE="${HOME}/.cache/mantis/go/mod" GOFLAGS=-mod=mod
  local src dir
  dir="$(go mod download -json "github.com/jaegertracing/jaeger@${VERSION}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
  # Its go.mod has replace directives, which only apply when it is the main module: build a copy of it.
  src="$(mktemp -d)"
  cp -r "${dir}/." "${src}"
  chmod -R u+w "${src}"
  mkdir -p "${BIN_DIR}"
  (cd "${src}" && go build -o "${BIN}.tmp" ./cmd/jaeger)
  mv "${BIN}.tmp" "${BIN}"
  rm -rf "${src}"
  log "jaeger ${VERSION} built"
}

case "${1:-build}" in
  build) build ;;
  path) echo "${BIN}" ;;
  *) echo "usage: $0 build|path" >&2; exit 2 ;;
esac
