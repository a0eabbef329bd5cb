import { describe, expect, it } from 'vitest';
import { assetTotals, type DowntimeEvent, kpisOf, mergeIntervals, sumTotals } from './kpis.ts';

// Fixtures worked by hand in hours over one day; docs/kpis.md walks through the first one.
const H = 3_600_000;
const day = { from: 0, to: 24 * H };
const at = (hours: number) => hours * H;
const unplanned = (start: number, end: number | null): DowntimeEvent => ({
  start: at(start),
  end: end === null ? null : at(end),
  kind: 'unplanned',
});
const planned = (start: number, end: number): DowntimeEvent => ({
  start: at(start),
  end: at(end),
  kind: 'planned',
});

describe('KPIs (ISO 22400-2 OEE, MTBF, MTTR)', () => {
  it('computes the worked example of docs/kpis.md', () => {
    const k = kpisOf(
      assetTotals(
        day,
        [planned(2, 4), unplanned(8, 9), unplanned(12, 12.5), unplanned(12.25, 13)],
        [
          { ts: at(10), produced: 600, good: 580 },
          { ts: at(20), produced: 400, good: 370 },
        ],
        60_000,
        at(30),
      ),
    );
    expect(k.plannedBusyMs).toBe(at(22));
    expect(k.unplannedDowntimeMs).toBe(at(2));
    expect(k.actualProductionMs).toBe(at(20));
    expect(k.failures).toBe(2); // 12:00–12:30 and 12:15–13:00 are one failure
    expect(k.mtbfMs).toBe(at(10));
    expect(k.mttrMs).toBe(at(1));
    expect(k.availability).toBeCloseTo(20 / 22, 12);
    expect(k.effectiveness).toBeCloseTo(1000 / 60 / 20, 12);
    expect(k.quality).toBeCloseTo(0.95, 12);
    expect(k.oee).toBeCloseTo((20 / 22) * (1000 / 60 / 20) * 0.95, 12);
    expect(k.oee).toBeCloseTo(0.7197, 4);
  });

  it('clips downtime crossing the range edges, and counts a repair ending inside with its whole duration', () => {
    const k = kpisOf(assetTotals(day, [unplanned(-1, 1), unplanned(23, 26)], [], 60_000, at(30)));
    expect(k.unplannedDowntimeMs).toBe(at(2)); // 00:00–01:00 and 23:00–24:00
    expect(k.failures).toBe(1); // the one starting at 23:00; the other failed the day before
    expect(k.repairs).toBe(1);
    expect(k.repairMs).toBe(at(2)); // 23:00 the day before to 01:00
    expect(k.openRepairs).toBe(0); // 23:00–02:00 ended after the range, but it has ended
    expect(k.mtbfMs).toBe(at(22));
  });

  it('leaves a repair still open out of MTTR, and counts its downtime up to now', () => {
    const k = kpisOf(assetTotals(day, [unplanned(20, null)], [], 60_000, at(22)));
    expect(k.failures).toBe(1);
    expect(k.openRepairs).toBe(1);
    expect(k.repairs).toBe(0);
    expect(k.mttrMs).toBeNull();
    expect(k.unplannedDowntimeMs).toBe(at(2));
    // Asked after the range: the open repair covers the rest of it.
    expect(assetTotals(day, [unplanned(20, null)], [], 60_000, at(30)).unplannedDowntimeMs).toBe(at(4));
  });

  it('has no MTBF without a failure, no availability without planned busy time, no quality without production', () => {
    const quiet = kpisOf(assetTotals(day, [], [], 60_000, at(30)));
    expect(quiet.mtbfMs).toBeNull();
    expect(quiet.availability).toBe(1);
    expect(quiet.effectiveness).toBe(0);
    expect(quiet.quality).toBeNull();
    expect(quiet.oee).toBeNull();
    const shutDown = kpisOf(assetTotals(day, [planned(-2, 26)], [], 60_000, at(30)));
    expect(shutDown.plannedBusyMs).toBe(0);
    expect(shutDown.availability).toBeNull();
    expect(shutDown.effectiveness).toBeNull();
  });

  it('does not count unplanned downtime twice where planned downtime already covers it', () => {
    const k = assetTotals(day, [planned(10, 12), unplanned(11, 13)], [], 60_000, at(30));
    expect(k.plannedBusyMs).toBe(at(22));
    expect(k.unplannedDowntimeMs).toBe(at(1));
    expect(k.actualProductionMs).toBe(at(21));
  });

  it('adds assets up by their times and counts, not by averaging their ratios', () => {
    const a = assetTotals(day, [unplanned(1, 2)], [{ ts: at(5), produced: 100, good: 100 }], 60_000, at(30));
    const b = assetTotals(day, [], [{ ts: at(5), produced: 300, good: 150 }], 120_000, at(30));
    const line = kpisOf(sumTotals([a, b]));
    expect(line.failures).toBe(1);
    expect(line.mtbfMs).toBe(at(47));
    expect(line.quality).toBeCloseTo(250 / 400, 12);
    expect(line.effectiveness).toBeCloseTo((100 * 1 + 300 * 2) / 60 / 47, 12);
  });

  it('counts only the part of the range the asset was in service', () => {
    // In service from 06:00 (registered) to 20:00 (retired): 14 h planned, 1 h of it planned downtime.
    const service = { from: at(6), to: at(20) };
    const k = kpisOf(
      assetTotals(
        day,
        [planned(5, 7), unplanned(19, 22)],
        [
          { ts: at(12), produced: 100, good: 90 },
          { ts: at(21), produced: 50, good: 50 },
        ],
        60_000,
        at(30),
        service,
      ),
    );
    expect(k).toMatchObject({
      plannedBusyMs: at(13),
      unplannedDowntimeMs: at(1),
      failures: 1,
      produced: 100,
    });
    expect(k.availability).toBeCloseTo(12 / 13, 12);
    // A range wholly before the asset existed has no planned time, so no availability to report.
    const before = kpisOf(assetTotals({ from: 0, to: at(6) }, [], [], 60_000, at(30), service));
    expect([before.plannedBusyMs, before.availability, before.mtbfMs]).toEqual([0, null, null]);
  });

  it('counts no time after now: the range ends at now, like the in-service period at retirement', () => {
    // Asked at 10:00, down since 09:00 and still down; maintenance planned for 20:00–22:00; a count stamped 12:00.
    const events = [unplanned(9, null), planned(20, 22)];
    const counts = [
      { ts: at(5), produced: 100, good: 100 },
      { ts: at(12), produced: 50, good: 50 },
    ];
    const today = kpisOf(assetTotals(day, events, counts, 60_000, at(10)));
    expect(today).toMatchObject({
      plannedBusyMs: at(10),
      unplannedDowntimeMs: at(1),
      actualProductionMs: at(9),
      failures: 1,
      openRepairs: 1,
      produced: 100,
    });
    expect(today.availability).toBeCloseTo(0.9, 12);
    // The next day, and the next 30 days from 00:00 today: nothing after 10:00 is observed.
    const tomorrow = kpisOf(assetTotals({ from: at(24), to: at(48) }, events, counts, 60_000, at(10)));
    expect(tomorrow).toMatchObject({
      plannedBusyMs: 0,
      unplannedDowntimeMs: 0,
      failures: 0,
      openRepairs: 0,
      availability: null,
      mtbfMs: null,
    });
    const month = kpisOf(assetTotals({ from: 0, to: at(30 * 24) }, events, counts, 60_000, at(10)));
    expect([month.plannedBusyMs, month.unplannedDowntimeMs]).toEqual([at(10), at(1)]);
    expect(month.availability).toBeCloseTo(0.9, 12);
  });

  it('counts a failure or repair stamped after now only once it is observed', () => {
    // A stop recorded as ending at 12:00, asked at 11:00: still open, not a repair yet, its downtime up to
    // now; one stamped 15:00 has not happened.
    const k = kpisOf(assetTotals(day, [unplanned(10, 12), unplanned(15, 16)], [], 60_000, at(11)));
    expect(k).toMatchObject({
      failures: 1,
      repairs: 0,
      openRepairs: 1,
      mttrMs: null,
      unplannedDowntimeMs: at(1),
      plannedBusyMs: at(11),
    });
  });

  it('merges overlapping and touching intervals', () => {
    expect(
      mergeIntervals([
        [5, 7],
        [1, 3],
        [3, 4],
        [6, 9],
        [10, 10],
      ]),
    ).toEqual([
      [1, 4],
      [5, 9],
    ]);
  });
});
