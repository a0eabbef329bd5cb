import { type BusinessSources, refreshBusinessMetrics } from '../api/business-metrics.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { KpiRepository } from '../storage/ports/kpis.ts';
import type { PartitionMaintenance } from '../storage/ports/partitions.ts';
import type { IntervalJob, Job } from './jobs.ts';

/** Retention and time partitions: drops what is past retention, creates the partitions ahead. */
export const partitionsJob = (partitions: PartitionMaintenance): Job => ({
  name: 'retention',
  async run(now) {
    const dropped = await partitions.maintain(now);
    return dropped > 0 ? `retention dropped ${dropped} partitions` : undefined;
  },
});

/**
 * The daily KPI roll-ups of the last days that are over, recomputed and upserted (what `mantis etl kpi-rollup`
 * does over any range), so that KPI reads over long ranges stay fast and a late input is corrected.
 */
export const kpiRollupsJob = (kpis: Pick<KpiRepository, 'rollupDays'>, days = 35): Job => ({
  name: 'kpi-rollup',
  async run(now) {
    const today = now - (now % 86_400_000);
    const { assets } = await kpis.rollupDays(today - days * 86_400_000, today, now);
    const stored = assets.inserted + assets.changed;
    return stored > 0 ? `stored ${stored} daily KPI roll-ups` : undefined;
  },
});

/**
 * The business gauges of /metrics (work orders, KPIs per site, assets, stale sensors per site), from the
 * repositories; `sensorStaleSeconds` is pipeline.sensorStaleSeconds.
 */
export const businessMetricsJob = (
  sources: BusinessSources,
  metrics: Metrics,
  sensorStaleSeconds?: number,
): IntervalJob => ({
  name: 'business-metrics',
  everyMs: 60_000,
  async run(now) {
    await refreshBusinessMetrics(sources, metrics, now, sensorStaleSeconds);
    return undefined;
  },
});
