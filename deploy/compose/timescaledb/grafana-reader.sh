#!/bin/sh
# First start only: the read-only role Grafana's TimescaleDB datasource uses; dashboards cannot write.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader_password="$GRAFANA_DB_PASSWORD" <<'SQL'
CREATE ROLE grafana_reader LOGIN PASSWORD :'reader_password';
GRANT CONNECT ON DATABASE mantis TO grafana_reader;
GRANT USAGE ON SCHEMA public TO grafana_reader;
-- Tables the migrations create later are readable too.
ALTER DEFAULT PRIVILEGES FOR ROLE mantis IN SCHEMA public GRANT SELECT ON TABLES TO grafana_reader;
ALTER ROLE grafana_reader SET default_transaction_read_only = on;
SQL
