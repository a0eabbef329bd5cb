import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS_TYPE, prometheus, timescaledb } from './datasources.ts';
import { sql } from './queries.ts';

/** Every dashboard: the same tags, refresh, time range, cursor sync, and the `datasource` variable. */
export function mantisDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['mantis'])
    .editable()
    .timezone('browser')
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(
      new DatasourceVariableBuilder('datasource').label('Prometheus').type(PROMETHEUS_TYPE).regex(''),
    )
    .annotation(deployments());
}

interface LabelVariableOptions {
  label: string;
  /** A series selector whose label values the variable lists; may use earlier variables. */
  series: string;
  multi?: boolean;
}

/**
 * A variable listing the values of one Prometheus label. "All" expands to the listed values (no custom
 * all value), so it narrows by the variables it depends on and works in SQL `IN (…)` as well.
 */
export function labelVariable(name: string, o: LabelVariableOptions): QueryVariableBuilder {
  const query = `label_values(${o.series}, ${name})`;
  return new QueryVariableBuilder(name)
    .label(o.label)
    .datasource(prometheus)
    .query({ qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(o.multi ?? true)
    .includeAll(true);
}

/** Deployments: a MANTIS process started with a version, from its build info and start time. */
export function deployments(): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Deployments')
    .datasource(prometheus)
    .enable(true)
    .iconColor('blue')
    .expr(
      '(changes(mantis_process_start_time_seconds[2m]) > 0) ' +
        '* on (service, instance) group_left (version) mantis_build_info',
    )
    .step('1m')
    .titleFormat('{{service}} {{version}} started')
    .tagKeys('service,instance');
}

/** Work orders opened, from the MANTIS database, narrowed to the dashboard's assets when it has them. */
export function workOrdersOpened(assetFilter = ''): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Work orders opened')
    .datasource(timescaledb)
    .enable(true)
    .iconColor('orange')
    .target(
      sql(
        `SELECT created_at AS time, title || ' (' || asset_id || ')' AS text, priority AS tags
FROM work_orders
WHERE $__timeFilter(created_at)${assetFilter}
ORDER BY created_at`,
      ),
    );
}
