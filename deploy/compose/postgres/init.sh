#!/bin/sh
# First start only: a database and an owner for MLflow's tracking store and for Grafana's own state.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v mlflow_password="$MLFLOW_DB_PASSWORD" -v grafana_password="$GRAFANA_META_DB_PASSWORD" <<'SQL'
CREATE ROLE mlflow LOGIN PASSWORD :'mlflow_password';
CREATE DATABASE mlflow OWNER mlflow;
CREATE ROLE grafana LOGIN PASSWORD :'grafana_password';
CREATE DATABASE grafana OWNER grafana;
SQL
