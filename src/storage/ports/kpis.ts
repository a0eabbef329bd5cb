import type { KpiTotals, TimeRange } from '../../domain/kpis.ts';

/** What KPIs are summed over: one asset, the assets of a line, or those of a site. */
export type KpiScope = 'asset' | 'line' | 'site';

/** An asset as the KPI formulas need it (ms; inService: from its start to its retirement, or Infinity). */
export interface KpiAsset {
  id: string;
  idealCycleMs: number;
  inService: TimeRange;
}

/** How a roll-up runs: `dryRun` computes and compares, writes nothing; `onDay` reports progress. */
export interface RollupOptions {
  dryRun?: boolean;
  onDay?: (done: number, total: number) => void;
}

/** Asset days of a roll-up: recomputed (`rows`), of which new, rewritten with other totals, or the same. */
export interface RollupCounts {
  rows: number;
  inserted: number;
  changed: number;
  unchanged: number;
}

/** What a roll-up over [from, to) did (`from`, `to`: YYYY-MM-DD, `to` excluded). */
export interface RollupResult {
  from: string;
  to: string;
  days: number;
  assets: RollupCounts;
  /** Line or site days complete over the range after the run, and those holding a new or changed asset day. */
  lines: { rows: number; affected: number };
  sites: { rows: number; affected: number };
}

/** A downtime event as stored (times ISO 8601; end null while the asset is still down). */
export interface Downtime {
  id: string;
  assetId: string;
  kind: 'planned' | 'unplanned';
  reason: string;
  start: string;
  end: string | null;
  workOrderId: string | null;
  createdBy: string;
  version: number;
}

/** A downtime event to record (start, end: epoch ms). */
export interface NewDowntime {
  assetId: string;
  kind: 'planned' | 'unplanned';
  reason: string;
  start: number;
  end: number | null;
  workOrderId?: string;
  actor: string;
}

/** A production count (ts: epoch ms): items produced since the previous count, of which good first time. */
export interface Count {
  assetId: string;
  ts: number;
  produced: number;
  good: number;
}

/** A range query on KPI inputs (epoch ms, [from, to)). */
export interface KpiInputQuery {
  assetId?: string;
  from: number;
  to: number;
  limit: number;
}

/**
 * KPI inputs (downtime events, production counts) and the totals MTBF, MTTR and OEE are computed from
 * (ISO 22400-2; docs/kpis.md). Times are epoch ms; `now` bounds what is counted.
 */
export interface KpiRepository {
  /** The assets a scope sums, retired ones included. Throws NotFoundError for an unknown scope id. */
  scopeAssets(scope: KpiScope, id: string): Promise<KpiAsset[]>;
  /** The assets' totals over the range. */
  totals(assets: KpiAsset[], range: TimeRange, now: number): Promise<KpiTotals>;
  /** The assets' totals per UTC day of the range (`day`: YYYY-MM-DD). */
  dailyTotals(
    assets: KpiAsset[],
    range: TimeRange,
    now: number,
  ): Promise<{ day: string; totals: KpiTotals }[]>;
  /**
   * Recomputes the daily roll-ups of every asset over the whole UTC days [from, to) (epoch ms, UTC
   * midnights, `to` no later than the start of today at `now`) and upserts them: a day is inserted once,
   * rewritten only when its totals differ, never duplicated. Lines and sites are the sums of their assets
   * (view kpi_daily_scopes). Throws RangeError for days that are not whole, or not over by `now`.
   */
  rollupDays(from: number, to: number, now: number, options?: RollupOptions): Promise<RollupResult>;
  /** Records an event, all or nothing. Throws ValidationError for an unknown asset or work order, or bad times. */
  createDowntime(event: NewDowntime): Promise<Downtime>;
  getDowntime(id: string): Promise<Downtime | null>;
  /** Ends an event, or corrects its end or reason (end null: still down). */
  updateDowntime(
    id: string,
    patch: { end?: number | null; reason?: string },
    ifMatch?: number,
  ): Promise<Downtime>;
  /** Events overlapping [from, to), newest first. */
  listDowntime(q: KpiInputQuery): Promise<Downtime[]>;
  /**
   * Stores counts all or nothing; a count resent for the same asset and time replaces the first. Returns
   * how many rows were stored (repeats within the batch once). Throws ValidationError for an unknown asset
   * or good > produced.
   */
  recordCounts(counts: Count[], actor: string): Promise<number>;
  /** Counts in [from, to), newest first. */
  listCounts(q: KpiInputQuery): Promise<(Count & { recordedBy: string })[]>;
}
