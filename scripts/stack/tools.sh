#!/usr/bin/env bash
# Servers and tools the suites start themselves: Mosquitto (MQTT tests restart it mid-stream), Chromium
# (console tests), Prometheus with promtool and Alertmanager with amtool (monitoring tests), and the node and
# PostgreSQL exporters the dashboards read (scrape test), and Redis, InfluxDB and ZooKeeper (mantis doctor
# tests stop and start them). All from Debian.
# Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "${HERE}/lib.sh"
apt_install mosquitto chromium prometheus prometheus-alertmanager prometheus-node-exporter redis-server influxdb zookeeper \
  shellcheck curl \
  prometheus-postgres-exporter
log "mosquitto $(/usr/sbin/mosquitto -h 2>/dev/null | head -1 | awk '{print $3}'), $(/usr/bin/chromium --version 2>/dev/null)"
log "$(promtool --version 2>&1 | head -1), $(amtool --version 2>&1 | head -1)"
"${HERE}/lint-tools.sh"
