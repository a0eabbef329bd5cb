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
