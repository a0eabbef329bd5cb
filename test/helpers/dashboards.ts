import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertRulesProvisioning, buildDashboards } from '../../dashboards/index.ts';

/** What the dashboard tests read out of the built dashboards: queries by language, with where they are. */
export interface FoundQuery {
  where: string;
  datasource: { type?: string; uid?: string };
  text: string;
}

export const dashboards = buildDashboards();

export function panelsOf(d: Dashboard): Panel[] {
  return (d.panels ?? []).filter((p): p is Panel => p.type !== 'row');
}

/** Every PromQL expression: panel targets, alert rule queries, annotations, and the variables' selectors. */
export function promqlQueries(): FoundQuery[] {
  const found: FoundQuery[] = [];
  for (const [file, d] of Object.entries(dashboards)) {
    for (const panel of panelsOf(d)) {
      if (panel.datasource?.type !== 'prometheus') continue;
      for (const t of (panel.targets ?? []) as { expr?: string }[])
        found.push({ where: `${file}: ${panel.title}`, datasource: panel.datasource, text: t.expr ?? '' });
    }
    for (const a of d.annotations?.list ?? [])
      if (a.datasource?.type === 'prometheus')
        found.push({ where: `${file}: annotation ${a.name}`, datasource: a.datasource, text: a.expr ?? '' });
    for (const v of d.templating?.list ?? []) {
      const selector = /^label_values\((.+), \w+\)$/.exec(v.definition ?? '')?.[1];
      if (v.type === 'query' && selector)
        found.push({ where: `${file}: variable ${v.name}`, datasource: v.datasource ?? {}, text: selector });
    }
  }
  for (const group of alertRulesProvisioning().groups)
    for (const rule of group.rules)
      for (const q of rule.data)
        if (q.datasourceUid !== '__expr__')
          found.push({
            where: `alert rule ${rule.title}`,
            datasource: { uid: q.datasourceUid },
            text: (q.model as unknown as { expr: string }).expr,
          });
  return found;
}

export function sqlQueries(): FoundQuery[] {
  const found: FoundQuery[] = [];
  for (const [file, d] of Object.entries(dashboards)) {
    for (const panel of panelsOf(d))
      for (const t of (panel.targets ?? []) as { rawSql?: string }[])
        if (t.rawSql)
          found.push({
            where: `${file}: ${panel.title}`,
            datasource: panel.datasource ?? {},
            text: t.rawSql,
          });
    for (const a of d.annotations?.list ?? []) {
      const rawSql = (a.target as { rawSql?: string } | undefined)?.rawSql;
      if (rawSql)
        found.push({ where: `${file}: annotation ${a.name}`, datasource: a.datasource ?? {}, text: rawSql });
    }
  }
  return found;
}

/** PromQL as Grafana sends it: variables as "All" regexes, range variables as a fixed interval. */
export function expandPromql(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '1h')
    .replace(/\$\{?(\w+)\}?/g, '.*');
}

/**
 * SQL as Grafana's PostgreSQL datasource sends it: its macros expanded (the plain-PostgreSQL forms; with
 * `timescaledb: true` $__timeGroup uses time_bucket instead) and multi-value variables as quoted lists.
 */
export function expandSql(sql: string, values: Record<string, string[]>): string {
  return sql
    .replace(
      /\$__timeFilter\(([\w.]+)\)/g,
      "$1 BETWEEN '2020-01-01T00:00:00Z'::timestamptz AND '2100-01-01T00:00:00Z'::timestamptz",
    )
    .replace(
      /\$__timeGroupAlias\(([\w.]+), '(\d+)m'\)/g,
      (_, column, minutes) =>
        `to_timestamp(floor(extract(epoch FROM ${column}) / ${minutes * 60}) * ${minutes * 60}) AS "time"`,
    )
    .replace(/\$(\w+)/g, (_, name) =>
      (values[name] ?? ['']).map((v) => `'${v.replaceAll("'", "''")}'`).join(','),
    );
}
