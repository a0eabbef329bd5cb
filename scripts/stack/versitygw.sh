#!/usr/bin/env bash
# An S3-compatible server for the suites: the Versity S3 Gateway (Apache-2.0) serving a folder, built once
# from the Go module proxy (MinIO is AGPL-licensed and not served here). It checks SigV4 signatures as S3 does.
# Usage: versitygw.sh build|path
source "$(dirname "$0")/lib.sh"
VERSION="${MANTIS_VERSITYGW_VERSION:-v1.8.0}"
DIR="${STACK_CACHE}/versitygw-${VERSION#v}"
case "${1:-}" in
  build) go_install_once "${DIR}" "github.com/versity/versitygw/cmd/versitygw@${VERSION}" "the Versity S3 Gateway ${VERSION}" ;;
  path) echo "${DIR}/versitygw" ;;
  *) echo "usage: $0 build|path" >&2; exit 2 ;;
esac
