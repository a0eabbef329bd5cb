#!/usr/bin/env bash
# Brings up the local stack of real servers (PostgreSQL, Kafka) for development and CI, and installs the
# servers and browser the suites start themselves (Mosquitto, Chromium, Prometheus, Alertmanager, Jaeger,
# MLflow, an S3 server, Redis, InfluxDB, ZooKeeper), Schemathesis for the API contract suite, and Flyway's
# engine, which checks the migrations.
# Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
"${HERE}/tools.sh"
"${HERE}/jaeger.sh" build
"${HERE}/influxdb.sh" build
"${HERE}/mlflow.sh" install
"${HERE}/parquet-readers.sh" install
"${HERE}/schemathesis.sh" install
"${HERE}/versitygw.sh" build
"${HERE}/flyway.sh" fetch
"${HERE}/postgres.sh" start
"${HERE}/kafka.sh" start
echo "MANTIS_DATABASE_URL=$("${HERE}/postgres.sh" url)"
echo "MANTIS_BUS_URL=$("${HERE}/kafka.sh" url)"
