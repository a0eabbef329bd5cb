import type { Sensor } from '../../src/domain/types.ts';
import type { AssetRegistry } from '../../src/storage/ports/asset-registry.ts';
import type { Queryable } from '../../src/storage/ports/database.ts';

/** The data-quality suites' plant: two days ago, times in seconds from T0. */
export const T0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000;
export const at = (s: number) => new Date(T0 + s * 1000);

export const scalar = (id: string, kind: Sensor['kind'], validMin: number, validMax: number): Sensor => ({
  id,
  assetId: '',
  kind,
  unit: 'x',
  sampleRateHz: 1,
  validMin,
  validMax,
});

/** Asset a1 (two temperatures, a vibration sensor) and a2 (a pressure). */
export async function registerQualityAssets(registry: Pick<AssetRegistry, 'registerAsset'>): Promise<void> {
  const base = { siteId: 's', lineId: 'l', kind: 'machine' };
  await registry.registerAsset({
    ...base,
    id: 'a1',
    name: 'a1',
    sensors: [
      scalar('t1.temp', 'temperature', -50, 200),
      scalar('t2.temp', 'temperature', -50, 200),
      { ...scalar('v1.vib', 'vibration', -500, 500), sampleRateHz: 12_800 },
    ],
  });
  await registry.registerAsset({
    ...base,
    id: 'a2',
    name: 'a2',
    sensors: [scalar('p1.pressure', 'pressure', 0, 10)],
  });
}

/**
 * The processor's record: 10 s windows closed up to 120 s. t1's window at 60 s counted 7 of its 10 readings
 * (3 came late), its windows at 30 s and 40 s are missing (the gap); t2's windows were stored 125 s after they
 * ended (5 s lateness: 120 s lag).
 */
export async function storeWindowRecord(db: Queryable): Promise<void> {
  const windows = async (sensor: string, counts: Record<number, number>, delay: number) => {
    for (const [start, count] of Object.entries(counts)) {
      const s = Number(start);
      await db.query(
        `INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms,
           peak_to_peak, computed_at) VALUES ('a1', $1, $2, $3, $4, 0, 0, 0, 0, 0, 0, $5)`,
        [sensor, at(s), at(s + 10), count, at(s + 10 + delay)],
      );
    }
    await db.query("INSERT INTO window_progress VALUES ('a1', $1, $2)", [sensor, at(120)]);
  };
  const full = (skip: number[] = []) =>
    Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => i * 10)
        .filter((s) => !skip.includes(s))
        .map((s) => [s, 10]),
    );
  await windows('t1.temp', { ...full([30, 40]), 20: 10, 60: 7 }, 5.5);
  await windows('t2.temp', full(), 125);
}

const S = 1000;
const iso = (s: number) => at(s).toISOString();

/** One reading a second over [T0, T0 + 120 s), by second. */
const series = (value: (s: number) => number, keep = (_: number) => true) =>
  Array.from({ length: 120 }, (_, s) => s)
    .filter(keep)
    .map((s) => [s, value(s)] as const);
export const READINGS: Record<string, (readonly [number, number])[]> = {
  // Silent from 29 s to 50 s: 20 readings missing, a 21 s silence.
  't1.temp': series(
    (s) => 20 + s / 10,
    (s) => s < 30 || s >= 50,
  ),
  // 40 identical readings from 50 s to 89 s.
  't2.temp': series((s) => (s >= 50 && s < 90 ? 21.5 : 30 + s)),
  // 10 (its validMax) at 10 s and 11 s, 12 at 20 s, −1 at 21 s.
  'p1.pressure': series((s) => ({ 10: 10, 11: 10, 20: 12, 21: -1 })[s] ?? (s % 9) + 0.5),
};

/** The report for READINGS and the window record below, worked out by hand (see READINGS and storeWindowRecord). */
export const EXPECTED = {
  from: iso(0),
  to: iso(120),
  thresholds: { gapFactor: 3, flatSamples: 30, skewMs: 60_000, windowSeconds: 10, allowedLatenessSeconds: 5 },
  totals: {
    sensors: 3,
    sensorsWithIssues: 3,
    gaps: 1,
    flatLines: 1,
    outOfRange: 2,
    atLimit: 2,
    lateReadings: 3,
    skewedSensors: 1,
  },
  sensors: [
    {
      sensorId: 't1.temp',
      assetId: 'a1',
      readings: 100,
      expected: 120,
      gaps: { count: 1, totalMs: 21 * S, longest: { from: T0 + 29 * S, to: T0 + 50 * S } },
      flatLines: { count: 0, spans: [] },
      outOfRange: { below: 0, above: 0, atLimit: 0 },
      lateReadings: 3,
      clockSkew: { lagMs: 500, leadMs: 0, flagged: false },
      issues: 4,
    },
    {
      sensorId: 't2.temp',
      assetId: 'a1',
      readings: 120,
      expected: 120,
      gaps: { count: 0, totalMs: 0, longest: null },
      flatLines: { count: 1, spans: [{ from: T0 + 50 * S, to: T0 + 89 * S, value: 21.5, samples: 40 }] },
      outOfRange: { below: 0, above: 0, atLimit: 0 },
      lateReadings: 0,
      clockSkew: { lagMs: 120 * S, leadMs: 0, flagged: true },
      issues: 2,
    },
    {
      sensorId: 'p1.pressure',
      assetId: 'a2',
      readings: 120,
      expected: 120,
      gaps: { count: 0, totalMs: 0, longest: null },
      flatLines: { count: 0, spans: [] },
      outOfRange: { below: 1, above: 1, atLimit: 2 },
      lateReadings: null,
      clockSkew: { lagMs: null, leadMs: 0, flagged: false },
      issues: 4,
    },
  ],
  notAssessed: [{ sensorId: 'v1.vib', assetId: 'a1', reason: 'sends sample blocks' }],
};
