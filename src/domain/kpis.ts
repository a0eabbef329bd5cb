/**
 * Maintenance KPIs — MTBF, MTTR and OEE per ISO 22400-2 — from downtime events and production counts.
 * Pure: times are epoch milliseconds, ranges half-open [from, to). Definitions and edge cases: docs/kpis.md.
 */

export interface TimeRange {
  from: number;
  to: number;
}

export interface DowntimeEvent {
  start: number;
  /** null while the asset is still down. */
  end: number | null;
  /** planned: maintenance or no order, excluded from the planned busy time; unplanned: a failure. */
  kind: 'planned' | 'unplanned';
}

export interface ProductionCount {
  /** When the count was recorded; counts inside the range are summed. */
  ts: number;
  produced: number;
  good: number;
}

/** The summable times and counts behind the KPIs: assets add up to lines and sites by summing these. */
export interface KpiTotals {
  /** PBT: the range minus planned downtime. */
  plannedBusyMs: number;
  /** Unplanned downtime inside the range (merged, not counting what planned downtime already covers). */
  unplannedDowntimeMs: number;
  /** APT: PBT minus unplanned downtime — the operating time of MTBF. */
  actualProductionMs: number;
  /** Unplanned downtime periods starting inside the range (overlapping events count once). */
  failures: number;
  /** Unplanned downtime periods ending inside the range, and their whole durations. */
  repairs: number;
  repairMs: number;
  /** Failures still open at the end of the range, or now if the range ends later. */
  openRepairs: number;
  produced: number;
  good: number;
  /** Planned run time per item × produced quantity. */
  idealRunMs: number;
}

export interface Kpis extends KpiTotals {
  /** null with no failure in the range: the time between failures is longer than the range can show. */
  mtbfMs: number | null;
  /** null with no repair completed in the range. */
  mttrMs: number | null;
  /** null when there is no planned busy time. */
  availability: number | null;
  /** null when there is no actual production time. */
  effectiveness: number | null;
  /** null when nothing was produced. */
  quality: number | null;
  oee: number | null;
}

type Interval = [start: number, end: number];

/** Union of intervals, sorted; touching intervals join. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const merged: Interval[] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function length(intervals: Interval[]): number {
  return intervals.reduce((sum, [s, e]) => sum + (e - s), 0);
}

function clip(intervals: Interval[], range: TimeRange): Interval[] {
  return intervals
    .map(([s, e]): Interval => [Math.max(s, range.from), Math.min(e, range.to)])
    .filter(([s, e]) => e > s);
}

/** Parts of `a` not covered by `b` (both merged). */
function subtract(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [start, end] of a) {
    let cursor = start;
    for (const [bs, be] of b) {
      if (be <= cursor || bs >= end) continue;
      if (bs > cursor) out.push([cursor, bs]);
      cursor = Math.max(cursor, be);
    }
    if (cursor < end) out.push([cursor, end]);
  }
  return out;
}

const NONE: KpiTotals = {
  plannedBusyMs: 0,
  unplannedDowntimeMs: 0,
  actualProductionMs: 0,
  failures: 0,
  repairs: 0,
  repairMs: 0,
  openRepairs: 0,
  produced: 0,
  good: 0,
  idealRunMs: 0,
};

/**
 * One asset's totals over a range. `now` (epoch ms) ends the events still open and the range itself: time
 * after now has not been observed, so it holds no planned time, downtime or count (a range wholly in the
 * future has plannedBusyMs 0 and availability null). `idealCycleMs` is the planned run time per item. Only
 * the part of the range inside `inService` counts: an asset has no planned time before it entered service
 * or after it was retired (ISO 22400-2 planned operation time is the time the unit is scheduled to run).
 */
export function assetTotals(
  whole: TimeRange,
  downtime: DowntimeEvent[],
  production: ProductionCount[],
  idealCycleMs: number,
  now: number,
  inService: TimeRange = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY },
): KpiTotals {
  const range = {
    from: Math.max(whole.from, inService.from),
    to: Math.min(whole.to, inService.to, now),
  };
  if (range.to <= range.from) return { ...NONE };
  const endOf = (e: DowntimeEvent) => e.end ?? Math.max(e.start, now);
  const planned = mergeIntervals(
    downtime.filter((e) => e.kind === 'planned').map((e) => [e.start, endOf(e)]),
  );
  const unplanned = mergeIntervals(
    downtime.filter((e) => e.kind === 'unplanned').map((e) => [e.start, endOf(e)]),
  );
  const plannedBusyMs = range.to - range.from - length(clip(planned, range));
  const unplannedDowntimeMs = length(clip(subtract(unplanned, planned), range));

  // A merged unplanned period is open when it contains an event still open: no end yet, or one after now.
  const openPeriods = new Set(
    downtime
      .filter((e) => e.kind === 'unplanned' && (e.end === null || e.end > now))
      .map((e) => unplanned.findIndex(([s, end]) => e.start >= s && e.start <= end)),
  );
  let failures = 0;
  let repairs = 0;
  let repairMs = 0;
  let openRepairs = 0;
  unplanned.forEach(([start, end], i) => {
    const open = openPeriods.has(i);
    if (start >= range.from && start < range.to) failures++;
    if (open) {
      if (start < range.to) openRepairs++;
    } else if (end > range.from && end <= range.to) {
      repairs++;
      repairMs += end - start;
    }
  });

  const counted = production.filter((p) => p.ts >= range.from && p.ts < range.to);
  const produced = counted.reduce((n, p) => n + p.produced, 0);
  const good = counted.reduce((n, p) => n + p.good, 0);
  return {
    plannedBusyMs,
    unplannedDowntimeMs,
    actualProductionMs: plannedBusyMs - unplannedDowntimeMs,
    failures,
    repairs,
    repairMs,
    openRepairs,
    produced,
    good,
    idealRunMs: idealCycleMs * produced,
  };
}

/** Totals of several assets (a line, a site): times and counts add; ratios are recomputed from the sums. */
export function sumTotals(totals: KpiTotals[]): KpiTotals {
  const sum: KpiTotals = { ...NONE };
  for (const t of totals) for (const key of Object.keys(sum) as (keyof KpiTotals)[]) sum[key] += t[key];
  return sum;
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : null);

export function kpisOf(t: KpiTotals): Kpis {
  const availability = ratio(t.actualProductionMs, t.plannedBusyMs);
  const effectiveness = ratio(t.idealRunMs, t.actualProductionMs);
  const quality = ratio(t.good, t.produced);
  return {
    ...t,
    mtbfMs: ratio(t.actualProductionMs, t.failures),
    mttrMs: ratio(t.repairMs, t.repairs),
    availability,
    effectiveness,
    quality,
    oee:
      availability === null || effectiveness === null || quality === null
        ? null
        : availability * effectiveness * quality,
  };
}
