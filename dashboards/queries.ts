import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';

/** A PromQL range query with its legend. */
export function promql(expr: string, legend = ''): DataqueryBuilder {
  return new DataqueryBuilder()
    .expr(expr)
    .legendFormat(legend || '__auto')
    .range();
}

/** A PromQL instant query, one row per series (tables and stats of the latest value). */
export function promqlTable(expr: string): DataqueryBuilder {
  return new DataqueryBuilder().expr(expr).instant().format(PromQueryFormat.Table).legendFormat('__auto');
}

// The SDK has no builders for the PostgreSQL and Jaeger datasources' queries; these follow their models.

interface SqlQuery extends Dataquery {
  refId: string;
  rawSql: string;
  format: 'time_series' | 'table';
  rawQuery: true;
  editorMode: 'code';
}

/** A raw SQL query on the MANTIS database, with Grafana's macros ($__timeFilter, $__timeGroupAlias…). */
export function sql(rawSql: string, format: SqlQuery['format'] = 'table'): Builder<Dataquery> {
  return {
    build: (): SqlQuery => ({
      refId: '',
      rawSql,
      format,
      rawQuery: true,
      editorMode: 'code',
      _implementsDataqueryVariant() {},
    }),
  };
}

interface JaegerSearch extends Dataquery {
  refId: string;
  queryType: 'search';
  service: string;
  operation?: string;
  limit: number;
}

/** The latest traces of one service, as the Jaeger datasource's search. */
export function jaegerSearch(service: string, operation?: string, limit = 20): Builder<Dataquery> {
  return {
    build: (): JaegerSearch => ({
      refId: '',
      queryType: 'search',
      service,
      operation,
      limit,
      _implementsDataqueryVariant() {},
    }),
  };
}

/** The per-second rate of a counter over Grafana's rate interval, summed by the given labels. */
export function sumRate(by: string, metric: string, selector = ''): string {
  return `sum by (${by}) (rate(${metric}${selector ? `{${selector}}` : ''}[$__rate_interval]))`;
}

/** Two directions on one graph: the first above the axis, the second mirrored below it. */
export function upDown(up: [expr: string, legend: string], down: [expr: string, legend: string]) {
  return [promql(up[0], up[1]), promql(`-${down[0]}`, down[1])];
}
