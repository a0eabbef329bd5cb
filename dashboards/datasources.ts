import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/**
 * The datasources the dashboards read, by the uids that deploy/grafana/provisioning/datasources provisions.
 * Prometheus panels go through the `datasource` variable, so one Grafana can switch between Prometheus
 * servers (a plant's and a central one) without editing a dashboard.
 */
export const PROMETHEUS_TYPE = 'prometheus';
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template string.
export const prometheus: DataSourceRef = { type: PROMETHEUS_TYPE, uid: '${datasource}' };
/** The MANTIS database: PostgreSQL with TimescaleDB (work orders, features, KPIs). */
export const timescaledb: DataSourceRef = {
  type: 'grafana-postgresql-datasource',
  uid: 'mantis-timescaledb',
};
export const jaeger: DataSourceRef = { type: 'jaeger', uid: 'mantis-jaeger' };
/** The default Prometheus, for alert rules (which cannot use dashboard variables). */
export const PROMETHEUS_UID = 'mantis-prometheus';
