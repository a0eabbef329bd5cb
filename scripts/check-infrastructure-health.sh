#!/usr/bin/env bash
# How long until every service of the stack is ready? Runs `mantis doctor --wait` inside the compose stack
# (or, with --local, with this checkout against the settings in the environment) and prints each
# dependency's latency and time to ready. Exit code: 0 all ready, 1 something down, 2 bad setting.
# Usage: scripts/check-infrastructure-health.sh [--local] [timeout seconds, default 300]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOCAL=false
if [ "${1:-}" = "--local" ]; then LOCAL=true; shift; fi
TIMEOUT="${1:-300}"

if ${LOCAL}; then
  # shellcheck source=ensure-node.sh
  source "${ROOT}/scripts/ensure-node.sh"
  exec node "${ROOT}/bin/mantis.js" doctor --wait --timeout "${TIMEOUT}"
fi
cd "${ROOT}/deploy/compose"
exec docker compose run --rm --no-deps mantis-api doctor --wait --timeout "${TIMEOUT}"
