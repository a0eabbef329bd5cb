import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { timescaledb } from './datasources.ts';
import { higherIsBetter, lowerIsBetter, stat, table, timeseries } from './panels.ts';
import { promql, promqlTable, sql } from './queries.ts';
import { labelVariable, mantisDashboard, workOrdersOpened } from './variables.ts';

const SITE = 'site=~"$site"';
const kpi = (name: string) => `mantis_kpi_ratio{kpi="${name}", ${SITE}}`;
// Per-asset series carry no site; joining them with mantis_asset_info narrows them to the chosen sites.
const ofAssets = (expr: string) =>
  `${expr} * on (asset) group_left (site) max by (site, asset) (mantis_asset_info{${SITE}, asset=~"$asset"})`;

/** 5. Business: MTBF, MTTR, OEE and its factors, health per asset, open work orders. */
export function businessDashboard() {
  return mantisDashboard(
    'mantis-business',
    'MANTIS / Business',
    'OEE (availability × performance × quality), MTBF and MTTR over the last 24 hours per site; health per asset; work orders.',
  )
    .withVariable(labelVariable('site', { label: 'Site', series: 'mantis_asset_info' }))
    .withVariable(labelVariable('asset', { label: 'Asset', series: `mantis_asset_info{${SITE}}` }))
    .annotation(workOrdersOpened(' AND asset_id IN ($asset)'))
    .withRow(new RowBuilder('Last 24 hours'))
    .withPanel(
      stat('OEE', [promql(kpi('oee'), '{{site}}')], {
        description: 'Availability × performance × quality (ISO 22400-2) over the last 24 hours.',
        unit: 'percentunit',
        steps: higherIsBetter(0.4, 0.6),
      }),
    )
    .withPanel(
      stat('Availability', [promql(kpi('availability'), '{{site}}')], {
        description: 'Run time over planned busy time.',
        unit: 'percentunit',
        span: 4,
        steps: higherIsBetter(0.8, 0.9),
      }),
    )
    .withPanel(
      stat('Performance', [promql(kpi('performance'), '{{site}}')], {
        description: 'Ideal cycle time × items produced over run time.',
        unit: 'percentunit',
        span: 4,
        steps: higherIsBetter(0.7, 0.85),
      }),
    )
    .withPanel(
      stat('Quality', [promql(kpi('quality'), '{{site}}')], {
        description: 'Good items over items produced.',
        unit: 'percentunit',
        span: 4,
        steps: higherIsBetter(0.95, 0.99),
      }),
    )
    .withPanel(
      stat('MTBF', [promql(`mantis_kpi_mtbf_seconds{${SITE}}`, '{{site}}')], {
        description: 'Mean time between failures: run time over the number of failures.',
        unit: 's',
        span: 4,
      }),
    )
    .withPanel(
      stat('MTTR', [promql(`mantis_kpi_mttr_seconds{${SITE}}`, '{{site}}')], {
        description: 'Mean time to repair: failure downtime over finished repairs.',
        unit: 's',
        span: 4,
        steps: lowerIsBetter(3600, 4 * 3600),
      }),
    )
    .withPanel(
      timeseries(
        'OEE and its factors',
        [
          promql(kpi('oee'), '{{site}} OEE'),
          promql(kpi('availability'), '{{site}} availability'),
          promql(kpi('performance'), '{{site}} performance'),
          promql(kpi('quality'), '{{site}} quality'),
        ],
        {
          description: 'Each point covers the 24 hours before it.',
          unit: 'percentunit',
          span: 12,
          min: 0,
          max: 1,
        },
      ),
    )
    .withPanel(
      timeseries(
        'MTBF and MTTR',
        [
          promql(`mantis_kpi_mtbf_seconds{${SITE}}`, '{{site}} MTBF'),
          promql(`mantis_kpi_mttr_seconds{${SITE}}`, '{{site}} MTTR'),
        ],
        { description: 'Each point covers the 24 hours before it.', unit: 's', span: 12 },
      ),
    )
    .withRow(new RowBuilder('Assets'))
    .withPanel(
      timeseries('Health per asset', [promql(ofAssets('mantis_asset_health_ratio'), '{{site}} {{asset}}')], {
        description: 'Health scored by the processors: 1 is the asset’s baseline, 0 is failing.',
        unit: 'percentunit',
        span: 12,
        min: 0,
        max: 1,
      }),
    )
    .withPanel(
      stat('Stale sensors', [promql(`max by (site) (mantis_sensors_stale{${SITE}})`, '{{site}}')], {
        description:
          'Active sensors silent for longer than pipeline.sensorStaleSeconds: their health is no longer current (alert SensorsStale).',
        unit: 'none',
        span: 4,
        steps: lowerIsBetter(1, 5),
      }),
    )
    .withPanel(
      table('Worst assets now', [promqlTable(`bottomk(10, ${ofAssets('mantis_asset_health_ratio')})`)], {
        description: 'The ten assets with the lowest health.',
        unit: 'percentunit',
        span: 8,
      }),
    )
    .withPanel(
      timeseries(
        'Feature health per asset (database)',
        [
          sql(
            `SELECT $__timeGroupAlias(window_start, '5m'), asset_id AS metric, avg(health) / 100 AS value
FROM features
WHERE $__timeFilter(window_start) AND asset_id IN ($asset) AND health IS NOT NULL
GROUP BY 1, 2
ORDER BY 1`,
            'time_series',
          ),
        ],
        {
          description: 'The stored feature windows’ health, for ranges older than Prometheus keeps.',
          datasource: timescaledb,
          unit: 'percentunit',
          span: 24,
          min: 0,
          max: 1,
        },
      ),
    )
    .withRow(new RowBuilder('Work orders'))
    .withPanel(
      timeseries(
        'Open work orders by priority',
        [promql('sum by (priority) (mantis_work_orders_open)', '{{priority}}')],
        {
          description: 'Work orders not done or cancelled, every site.',
          unit: 'short',
          span: 8,
          stacked: true,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Alerts raised and work orders opened',
        [
          promql('sum by (severity) (increase(mantis_alerts_raised_total[1h]))', 'alerts {{severity}}'),
          promql('sum(increase(mantis_work_orders_opened_total[1h]))', 'work orders opened'),
        ],
        { description: 'Per hour, from health scoring.', unit: 'short', span: 16 },
      ),
    )
    .withPanel(
      table(
        'Open work orders',
        [
          sql(`SELECT w.created_at AS "opened", a.site_id AS "site", w.asset_id AS "asset", w.priority, w.status,
  w.assignee, w.title
FROM work_orders w JOIN assets a ON a.id = w.asset_id
WHERE w.status IN ('open', 'assigned', 'in_progress') AND a.site_id IN ($site) AND w.asset_id IN ($asset)
ORDER BY CASE w.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, w.created_at
LIMIT 100`),
        ],
        { description: 'Most urgent first, then oldest.', datasource: timescaledb, span: 16 },
      ),
    )
    .withPanel(
      table(
        'Unplanned downtime by reason',
        [
          sql(`SELECT d.reason, count(*) AS "events",
  round(sum(extract(epoch FROM (coalesce(d.ended_at, now()) - d.started_at))) / 3600, 1) AS "hours down"
FROM downtime_events d JOIN assets a ON a.id = d.asset_id
WHERE d.kind = 'unplanned' AND $__timeFilter(d.started_at) AND a.site_id IN ($site) AND d.asset_id IN ($asset)
GROUP BY d.reason
ORDER BY 3 DESC`),
        ],
        {
          description: 'Failures in the time range by reason, the longest first.',
          datasource: timescaledb,
          span: 8,
        },
      ),
    );
}
