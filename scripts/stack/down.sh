#!/usr/bin/env bash
# Stops the local stack; data stays in the stack folder for the next up.sh.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
"${HERE}/kafka.sh" stop
"${HERE}/postgres.sh" stop
