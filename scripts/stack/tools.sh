#!/usr/bin/env bash
# Servers and tools the suites start themselves: Mosquitto (MQTT tests restart it mid-stream) and Chromium
# (console tests). Both from Debian. Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "${HERE}/lib.sh"
apt_install mosquitto chromium
log "mosquitto $(/usr/sbin/mosquitto -h 2>/dev/null | head -1 | awk '{print $3}'), $(/usr/bin/chromium --version 2>/dev/null)"
