import { QueryBuilder, RuleBuilder, RuleGroupBuilder } from '@grafana/grafana-foundation-sdk/alerting';
import { TypeReduceBuilder, TypeThresholdBuilder } from '@grafana/grafana-foundation-sdk/expr';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS_TYPE, PROMETHEUS_UID } from './datasources.ts';

// As in deploy/prometheus/rules/alerts.yml: relative to the repository, resolved by the alert template.
const RUNBOOKS = 'docs/runbooks.md';
const EXPRESSIONS = { type: '__expr__', uid: '__expr__' };

interface KpiRule {
  uid: string;
  title: string;
  /** PromQL of one series per site (or priority). */
  expr: string;
  below?: number;
  above?: number;
  for: string;
  severity: 'critical' | 'warning' | 'info';
  summary: string;
  description: string;
}

/**
 * Business-KPI alerts evaluated by Grafana (the plan's Grafana-managed rules) and sent to the same
 * Alertmanager as the Prometheus rules, labelled for the maintenance team's route. A KPI without a value
 * (nothing produced, no failure) is absent, so "no data" is normal and does not alert.
 */
const KPI_RULES: KpiRule[] = [
  {
    uid: 'mantis-oee-low',
    title: 'OeeBelowObjective',
    expr: 'mantis_kpi_ratio{kpi="oee"}',
    below: 0.6,
    for: '1h',
    severity: 'warning',
    summary: 'OEE of site {{ $labels.site }} below 60 %',
    description: 'OEE over the last 24 hours is {{ humanizePercentage $values.B.Value }} (objective 60 %).',
  },
  {
    uid: 'mantis-availability-low',
    title: 'AvailabilityLow',
    expr: 'mantis_kpi_ratio{kpi="availability"}',
    below: 0.85,
    for: '30m',
    severity: 'warning',
    summary: 'Availability of site {{ $labels.site }} below 85 %',
    description:
      'Run time was {{ humanizePercentage $values.B.Value }} of planned time over the last 24 hours.',
  },
  {
    uid: 'mantis-quality-low',
    title: 'QualityLow',
    expr: 'mantis_kpi_ratio{kpi="quality"}',
    below: 0.95,
    for: '1h',
    severity: 'warning',
    summary: 'Quality of site {{ $labels.site }} below 95 %',
    description:
      'Good items were {{ humanizePercentage $values.B.Value }} of items produced over the last 24 hours.',
  },
  {
    uid: 'mantis-mttr-high',
    title: 'MttrHigh',
    expr: 'mantis_kpi_mttr_seconds',
    above: 4 * 3600,
    for: '15m',
    severity: 'warning',
    summary: 'Repairs at site {{ $labels.site }} take more than 4 hours',
    description: 'MTTR over the last 24 hours is {{ humanizeDuration $values.B.Value }} (objective 4 h).',
  },
  {
    uid: 'mantis-urgent-work-orders',
    title: 'UrgentWorkOrdersWaiting',
    expr: 'sum(mantis_work_orders_open{priority="urgent"})',
    above: 0,
    for: '8h',
    severity: 'critical',
    summary: 'Urgent work orders open for a whole shift',
    description: '{{ $values.B.Value }} urgent work orders have stayed open for more than 8 hours.',
  },
];

function kpiRule(r: KpiRule): RuleBuilder {
  const threshold =
    r.below !== undefined
      ? { evaluator: { type: 'lt' as const, params: [r.below] } }
      : { evaluator: { type: 'gt' as const, params: [r.above ?? 0] } };
  return new RuleBuilder(r.title)
    .uid(r.uid)
    .condition('C')
    .withQuery(
      new QueryBuilder('A')
        .datasourceUid(PROMETHEUS_UID)
        .relativeTimeRange({ from: 600, to: 0 })
        .model(
          new DataqueryBuilder()
            .refId('A')
            .datasource({ type: PROMETHEUS_TYPE, uid: PROMETHEUS_UID })
            .expr(r.expr)
            .instant(),
        ),
    )
    .withQuery(
      new QueryBuilder('B')
        .datasourceUid('__expr__')
        .model(new TypeReduceBuilder().refId('B').datasource(EXPRESSIONS).expression('A').reducer('last')),
    )
    .withQuery(
      new QueryBuilder('C')
        .datasourceUid('__expr__')
        .model(
          new TypeThresholdBuilder()
            .refId('C')
            .datasource(EXPRESSIONS)
            .expression('B')
            .conditions([threshold]),
        ),
    )
    .forDuration(r.for)
    .noDataState('OK')
    .execErrState('Error')
    .labels({ severity: r.severity, team: 'maintenance', service: 'business' })
    .annotations({
      summary: r.summary,
      description: r.description,
      runbook_url: `${RUNBOOKS}#${r.title.toLowerCase()}`,
    });
}

export const ALERT_FOLDER = 'MANTIS';

export function businessKpiRules() {
  return new RuleGroupBuilder('mantis-business-kpis').interval(60).rules(KPI_RULES.map(kpiRule)).build();
}

/** The rule group in Grafana's file-provisioning format (provisioning/alerting/*.json). */
export function alertRulesProvisioning() {
  const group = businessKpiRules();
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: group.title,
        folder: ALERT_FOLDER,
        interval: `${group.interval}s`,
        rules: (group.rules ?? []).map((r) => ({
          uid: r.uid,
          title: r.title,
          condition: r.condition,
          data: r.data,
          noDataState: r.noDataState,
          execErrState: r.execErrState,
          for: r.for,
          labels: r.labels,
          annotations: r.annotations,
          isPaused: false,
        })),
      },
    ],
  };
}
