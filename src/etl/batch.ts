import { refreshBusinessMetrics } from '../api/business-metrics.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Database } from '../storage/ports/database.ts';
import { storeDailyRollups } from '../storage/postgres/kpis.ts';
import { maintainPartitions } from '../storage/postgres/partitions.ts';
import type { Job } from './jobs.ts';

const HOUR = 3_600_000;

/** Retention and time partitions: drops what is past retention, creates the partitions ahead. */
export const partitionsJob = (db: Database): Job => ({
  name: 'partitions',
  everyMs: HOUR,
  async run(now) {
    const dropped = await maintainPartitions(db, now);
    return dropped > 0 ? `retention dropped ${dropped} partitions` : undefined;
  },
});

/** The daily KPI roll-ups of the last days that are over, so that KPI reads over long ranges stay fast. */
export const kpiRollupsJob = (db: Database, days = 35): Job => ({
  name: 'kpi-rollups',
  everyMs: HOUR,
  async run(now) {
    const stored = await storeDailyRollups(db, days, now);
    return stored > 0 ? `stored ${stored} daily KPI roll-ups` : undefined;
  },
});

/** The business gauges of /metrics (work orders, KPIs per site, assets), from the database. */
export const businessMetricsJob = (db: Database, metrics: Metrics): Job => ({
  name: 'business-metrics',
  everyMs: 60_000,
  async run(now) {
    await refreshBusinessMetrics(db, metrics, now);
    return undefined;
  },
});
