import { type BusinessSources, refreshBusinessMetrics } from '../api/business-metrics.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { KpiRepository } from '../storage/ports/kpis.ts';
import type { PartitionMaintenance } from '../storage/ports/partitions.ts';
import type { Job } from './jobs.ts';

const HOUR = 3_600_000;

/** Retention and time partitions: drops what is past retention, creates the partitions ahead. */
export const partitionsJob = (partitions: PartitionMaintenance): Job => ({
  name: 'partitions',
  everyMs: HOUR,
  async run(now) {
    const dropped = await partitions.maintain(now);
    return dropped > 0 ? `retention dropped ${dropped} partitions` : undefined;
  },
});

/** The daily KPI roll-ups of the last days that are over, so that KPI reads over long ranges stay fast. */
export const kpiRollupsJob = (kpis: Pick<KpiRepository, 'storeDailyRollups'>, days = 35): Job => ({
  name: 'kpi-rollups',
  everyMs: HOUR,
  async run(now) {
    const stored = await kpis.storeDailyRollups(days, now);
    return stored > 0 ? `stored ${stored} daily KPI roll-ups` : undefined;
  },
});

/** The business gauges of /metrics (work orders, KPIs per site, assets), from the repositories. */
export const businessMetricsJob = (sources: BusinessSources, metrics: Metrics): Job => ({
  name: 'business-metrics',
  everyMs: 60_000,
  async run(now) {
    await refreshBusinessMetrics(sources, metrics, now);
    return undefined;
  },
});
