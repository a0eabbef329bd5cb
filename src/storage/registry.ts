import type { Asset, Sensor, SensorKind } from '../domain/types.ts';
import type { Queryable, Transaction } from './port.ts';

interface SensorRow {
  id: string;
  asset_id: string;
  kind: string;
  unit: string;
  sample_rate_hz: number;
  valid_min: number;
  valid_max: number;
}

interface AssetRow {
  id: string;
  site_id: string;
  line_id: string;
  name: string;
  kind: string;
  health: number | null;
  health_updated_at: Date | null;
}

const toSensor = (r: SensorRow): Sensor => ({
  id: r.id,
  assetId: r.asset_id,
  kind: r.kind as SensorKind,
  unit: r.unit,
  sampleRateHz: r.sample_rate_hz,
  validMin: r.valid_min,
  validMax: r.valid_max,
});

const toAsset = (r: AssetRow, sensors: Sensor[]): Asset => ({
  id: r.id,
  siteId: r.site_id,
  lineId: r.line_id,
  name: r.name,
  kind: r.kind,
  health: r.health,
  healthUpdatedAt: r.health_updated_at?.toISOString() ?? null,
  sensors,
});

/** Creates or replaces an asset and its sensors; its site is created on first use. */
export async function upsertAsset(tx: Transaction, asset: Asset): Promise<void> {
  await tx.query('INSERT INTO sites (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [asset.siteId]);
  await tx.query(
    `INSERT INTO assets (id, site_id, line_id, name, kind) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, line_id = EXCLUDED.line_id,
       name = EXCLUDED.name, kind = EXCLUDED.kind, updated_at = now()`,
    [asset.id, asset.siteId, asset.lineId, asset.name, asset.kind],
  );
  for (const s of asset.sensors) {
    await tx.query(
      `INSERT INTO sensors (id, asset_id, kind, unit, sample_rate_hz, valid_min, valid_max)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET asset_id = EXCLUDED.asset_id, kind = EXCLUDED.kind, unit = EXCLUDED.unit,
         sample_rate_hz = EXCLUDED.sample_rate_hz, valid_min = EXCLUDED.valid_min, valid_max = EXCLUDED.valid_max`,
      [s.id, asset.id, s.kind, s.unit, s.sampleRateHz, s.validMin, s.validMax],
    );
  }
}

export async function listSensors(db: Queryable): Promise<Sensor[]> {
  return (await db.query<SensorRow>('SELECT * FROM sensors ORDER BY id')).map(toSensor);
}

export async function sensorOwners(db: Queryable): Promise<Map<string, { assetId: string; siteId: string }>> {
  const rows = await db.query<{ id: string; asset_id: string; site_id: string }>(
    'SELECT s.id, s.asset_id, a.site_id FROM sensors s JOIN assets a ON a.id = s.asset_id',
  );
  return new Map(rows.map((r) => [r.id, { assetId: r.asset_id, siteId: r.site_id }]));
}

export async function listAssets(db: Queryable, siteId?: string): Promise<Asset[]> {
  const assets = await db.query<AssetRow>(
    'SELECT * FROM assets WHERE ($1::text IS NULL OR site_id = $1) ORDER BY id',
    [siteId ?? null],
  );
  const sensors = (await listSensors(db)).reduce((byAsset, s) => {
    byAsset.set(s.assetId, [...(byAsset.get(s.assetId) ?? []), s]);
    return byAsset;
  }, new Map<string, Sensor[]>());
  return assets.map((a) => toAsset(a, sensors.get(a.id) ?? []));
}

export async function getAsset(db: Queryable, id: string): Promise<Asset | null> {
  const [row] = await db.query<AssetRow>('SELECT * FROM assets WHERE id = $1', [id]);
  if (!row) return null;
  const sensors = await db.query<SensorRow>('SELECT * FROM sensors WHERE asset_id = $1 ORDER BY id', [id]);
  return toAsset(row, sensors.map(toSensor));
}

export async function setAssetHealth(tx: Queryable, health: Map<string, number>, at: Date): Promise<void> {
  if (health.size === 0) return;
  await tx.query(
    `UPDATE assets a SET health = u.health, health_updated_at = $3
     FROM unnest($1::text[], $2::real[]) AS u(id, health) WHERE a.id = u.id`,
    [[...health.keys()], [...health.values()].map((h) => Math.round(h * 10) / 10), at],
  );
}
