import type { MachineBearing } from '../../diagnostics/diagnosis.ts';
import {
  ConflictError,
  MissingReferenceError,
  NotFoundError,
  PreconditionFailedError,
  RuleViolationError,
} from '../../domain/errors.ts';
import type { Asset, AssetMachine, Sensor, SensorKind } from '../../domain/types.ts';
import { checkAssetModel, checkMachine } from '../../domain/validate.ts';
import type { AssetPatch } from '../ports/asset-registry.ts';
import type { Queryable, Transaction } from '../ports/database.ts';
import type { SensorCatalog } from '../ports/registry.ts';
import { checkVersion } from './catalog.ts';
import { lockAsKpiInputChange } from './kpi-daily.ts';

export type { AssetPatch };

export interface SensorRow {
  id: string;
  asset_id: string;
  kind: string;
  unit: string;
  sample_rate_hz: number;
  rate_varies: boolean;
  valid_min: number;
  valid_max: number;
  retired_at: Date | null;
  bearings: MachineBearing[] | null;
  axis: 'radial' | 'axial' | null;
}

export interface AssetRow {
  id: string;
  site_id: string;
  line_id: string;
  name: string;
  kind: string;
  health: number | null;
  health_updated_at: Date | null;
  ideal_cycle_seconds: number | null;
  retired_at: Date | null;
  machine: AssetMachine | null;
  version: number;
}

export const toSensor = (r: SensorRow): Sensor => ({
  id: r.id,
  assetId: r.asset_id,
  kind: r.kind as SensorKind,
  unit: r.unit,
  sampleRateHz: r.sample_rate_hz,
  rateVaries: r.rate_varies,
  validMin: r.valid_min,
  validMax: r.valid_max,
  retiredAt: r.retired_at?.toISOString() ?? null,
  bearings: r.bearings,
  axis: r.axis,
});

export const toAsset = (r: AssetRow, sensors: Sensor[]): Asset => ({
  id: r.id,
  siteId: r.site_id,
  lineId: r.line_id,
  name: r.name,
  kind: r.kind,
  health: r.health,
  healthUpdatedAt: r.health_updated_at?.toISOString() ?? null,
  idealCycleSeconds: r.ideal_cycle_seconds,
  retiredAt: r.retired_at?.toISOString() ?? null,
  machine: r.machine,
  version: r.version,
  sensors,
});

/** A JSON document for a jsonb parameter: node-postgres would send a JS array as a PostgreSQL array. */
const jsonb = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

/** The asset's sensors that are not retired. */
async function activeSensors(db: Queryable, assetId: string): Promise<Sensor[]> {
  const rows = await db.query<SensorRow>(
    'SELECT * FROM sensors WHERE asset_id = $1 AND retired_at IS NULL ORDER BY id',
    [assetId],
  );
  return rows.map(toSensor);
}

/** Stored KPI days used the ideal cycle time: they are recomputed when it changes. */
async function forgetKpiDays(
  db: Transaction,
  assetId: string,
  idealCycleSeconds: number | null,
): Promise<void> {
  await lockAsKpiInputChange(db);
  await db.query(
    `DELETE FROM kpi_daily WHERE asset_id = $1
       AND EXISTS (SELECT 1 FROM assets WHERE id = $1 AND ideal_cycle_seconds IS DISTINCT FROM $2::double precision)`,
    [assetId, idealCycleSeconds],
  );
}

/**
 * Creates or replaces an asset and its sensors (listed sensors are added, updated, or registered again if
 * retired; others are left as they are). Its site and line are created on first use. Its machine model and
 * its sensors' bearings are checked against the sensors it will have (see `checkAssetModel`).
 */
export async function upsertAsset(tx: Transaction, asset: Asset, ifMatch?: number): Promise<void> {
  const [stored] = await tx.query<AssetRow>('SELECT * FROM assets WHERE id = $1 FOR UPDATE', [asset.id]);
  if (stored?.retired_at) throw new ConflictError(`asset ${asset.id} is retired`);
  if (stored) checkVersion('asset', asset.id, stored.version, ifMatch);
  else if (ifMatch !== undefined) throw new PreconditionFailedError(`asset ${asset.id} does not exist yet`);
  checkAssetModel(asset, stored ? await activeSensors(tx, asset.id) : []);
  await tx.query('INSERT INTO sites (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [asset.siteId]);
  const [line] = await tx.query<{ site_id: string; retired_at: Date | null }>(
    `INSERT INTO lines (id, site_id, name) VALUES ($1, $2, $1)
     ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id RETURNING site_id, retired_at`,
    [asset.lineId, asset.siteId],
  );
  if (line.site_id !== asset.siteId) {
    throw new RuleViolationError('lineId', `line ${asset.lineId} belongs to site ${line.site_id}`);
  }
  if (line.retired_at) throw new ConflictError(`body.lineId: line ${asset.lineId} is retired`);
  await forgetKpiDays(tx, asset.id, asset.idealCycleSeconds ?? null);
  await tx.query(
    `INSERT INTO assets (id, site_id, line_id, name, kind, ideal_cycle_seconds, machine)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
     ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, line_id = EXCLUDED.line_id,
       name = EXCLUDED.name, kind = EXCLUDED.kind, ideal_cycle_seconds = EXCLUDED.ideal_cycle_seconds,
       machine = EXCLUDED.machine, version = assets.version + 1, updated_at = now()`,
    [
      asset.id,
      asset.siteId,
      asset.lineId,
      asset.name,
      asset.kind,
      asset.idealCycleSeconds ?? null,
      jsonb(asset.machine),
    ],
  );
  for (const s of asset.sensors) {
    const [owner] = await tx.query<{ asset_id: string }>(
      `INSERT INTO sensors (id, asset_id, kind, unit, sample_rate_hz, valid_min, valid_max, rate_varies,
         bearings, axis)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, unit = EXCLUDED.unit,
         sample_rate_hz = EXCLUDED.sample_rate_hz, valid_min = EXCLUDED.valid_min, valid_max = EXCLUDED.valid_max,
         rate_varies = EXCLUDED.rate_varies, bearings = EXCLUDED.bearings, axis = EXCLUDED.axis, retired_at = NULL,
         -- Registered again after retirement: its silence counts from now (staleness).
         registered_at = CASE WHEN sensors.retired_at IS NULL THEN sensors.registered_at ELSE now() END
       WHERE sensors.asset_id = EXCLUDED.asset_id
       RETURNING asset_id`,
      [
        s.id,
        asset.id,
        s.kind,
        s.unit,
        s.sampleRateHz,
        s.validMin,
        s.validMax,
        s.rateVaries ?? false,
        jsonb(s.bearings),
        s.axis ?? null,
      ],
    );
    // A sensor id names one sensor for good: moving it to another asset would mix two machines' series.
    if (!owner) throw new ConflictError(`sensor ${s.id} belongs to another asset`);
  }
}

/** Sensors that may send readings: not retired, on an asset that is not retired. */
export async function listSensors(db: Queryable): Promise<Sensor[]> {
  const rows = await db.query<SensorRow>(
    `SELECT s.* FROM sensors s JOIN assets a ON a.id = s.asset_id
     WHERE s.retired_at IS NULL AND a.retired_at IS NULL ORDER BY s.id`,
  );
  return rows.map(toSensor);
}

export async function sensorOwners(db: Queryable): Promise<Map<string, { assetId: string; siteId: string }>> {
  const rows = await db.query<{ id: string; asset_id: string; site_id: string }>(
    'SELECT s.id, s.asset_id, a.site_id FROM sensors s JOIN assets a ON a.id = s.asset_id',
  );
  return new Map(rows.map((r) => [r.id, { assetId: r.asset_id, siteId: r.site_id }]));
}

export async function getAsset(db: Queryable, id: string): Promise<Asset | null> {
  const [row] = await db.query<AssetRow>('SELECT * FROM assets WHERE id = $1', [id]);
  if (!row) return null;
  const sensors = await db.query<SensorRow>('SELECT * FROM sensors WHERE asset_id = $1 ORDER BY id', [id]);
  return toAsset(row, sensors.map(toSensor));
}

/**
 * Changes some fields of an asset; a new line must be an active line of the asset's site, a new machine model
 * fit the asset's active sensors (see `checkMachine`; null removes it).
 */
export async function updateAsset(
  db: Transaction,
  id: string,
  patch: AssetPatch,
  ifMatch?: number,
): Promise<void> {
  const stored = await getAsset(db, id);
  if (!stored) throw new NotFoundError(`asset ${id} not found`);
  if (stored.retiredAt) throw new ConflictError(`asset ${id} is retired`);
  checkVersion('asset', id, stored.version ?? 1, ifMatch);
  if (patch.lineId !== undefined) {
    const [line] = await db.query<{ site_id: string; retired_at: Date | null }>(
      'SELECT site_id, retired_at FROM lines WHERE id = $1',
      [patch.lineId],
    );
    if (!line) throw new MissingReferenceError('lineId', `line ${patch.lineId} does not exist`);
    if (line.site_id !== stored.siteId || line.retired_at) {
      throw new RuleViolationError('lineId', `is not an active line of site ${stored.siteId}`);
    }
  }
  if (patch.machine) {
    const sensors = stored.sensors.filter((s) => !s.retiredAt).map((sensor) => ({ sensor, path: null }));
    checkMachine(patch.machine, id, sensors);
  }
  if (patch.idealCycleSeconds !== undefined) await forgetKpiDays(db, id, patch.idealCycleSeconds);
  const rows = await db.query(
    `UPDATE assets SET name = COALESCE($2, name), kind = COALESCE($3, kind), line_id = COALESCE($4, line_id),
       ideal_cycle_seconds = CASE WHEN $5 THEN $6::double precision ELSE ideal_cycle_seconds END,
       machine = CASE WHEN $8 THEN $9::jsonb ELSE machine END,
       version = version + 1, updated_at = now()
     WHERE id = $1 AND version = $7 RETURNING id`,
    [
      id,
      patch.name ?? null,
      patch.kind ?? null,
      patch.lineId ?? null,
      patch.idealCycleSeconds !== undefined,
      patch.idealCycleSeconds ?? null,
      stored.version,
      patch.machine !== undefined,
      jsonb(patch.machine),
    ],
  );
  if (rows.length === 0) throw new PreconditionFailedError(`asset ${id} changed meanwhile; read it again`);
}

/** Retires an asset and its sensors: their readings are refused, their history kept. */
export async function retireAsset(tx: Transaction, id: string, ifMatch?: number): Promise<void> {
  const [stored] = await tx.query<AssetRow>('SELECT * FROM assets WHERE id = $1 FOR UPDATE', [id]);
  if (!stored) throw new NotFoundError(`asset ${id} not found`);
  if (stored.retired_at) throw new ConflictError(`asset ${id} is already retired`);
  checkVersion('asset', id, stored.version, ifMatch);
  await tx.query(
    'UPDATE assets SET retired_at = now(), version = version + 1, updated_at = now() WHERE id = $1',
    [id],
  );
  await tx.query('UPDATE sensors SET retired_at = now() WHERE asset_id = $1 AND retired_at IS NULL', [id]);
}

export async function getSensor(db: Queryable, id: string): Promise<Sensor | null> {
  const [row] = await db.query<SensorRow>('SELECT * FROM sensors WHERE id = $1', [id]);
  return row ? toSensor(row) : null;
}

/**
 * Retires a sensor. Refused (ConflictError) while the machine model of its asset reads the running speed from
 * it: the asset's vibration diagnosis would go without speed; change the model's speed setting first.
 * @throws NotFoundError, ConflictError (already retired, or the speed sensor of a machine model).
 */
export async function retireSensor(db: Queryable, id: string): Promise<void> {
  const [used] = await db.query<{ id: string }>(
    `SELECT a.id FROM sensors s JOIN assets a ON a.id = s.asset_id
     WHERE s.id = $1 AND s.retired_at IS NULL AND a.retired_at IS NULL
       AND a.machine->'speed'->>'source' = 'sensor' AND a.machine->'speed'->>'sensorId' = $1`,
    [id],
  );
  if (used) {
    throw new ConflictError(
      `sensor ${id} gives the running speed of asset ${used.id}'s machine model: change its speed setting first`,
    );
  }
  const rows = await db.query<{ retired: boolean }>(
    `UPDATE sensors SET retired_at = COALESCE(retired_at, now()) WHERE id = $1
     RETURNING (retired_at < now()) AS retired`,
    [id],
  );
  if (rows.length === 0) throw new NotFoundError(`sensor ${id} not found`);
  if (rows[0].retired) throw new ConflictError(`sensor ${id} is already retired`);
}

export async function setAssetHealth(tx: Queryable, health: Map<string, number>, at: Date): Promise<void> {
  if (health.size === 0) return;
  await tx.query(
    `UPDATE assets a SET health = u.health, health_updated_at = $3
     FROM unnest($1::text[], $2::real[]) AS u(id, health) WHERE a.id = u.id`,
    [[...health.keys()], [...health.values()].map((h) => Math.round(h * 10) / 10), at],
  );
}

/** The machine model of each asset that has one and is not retired, by asset id (for vibration diagnosis). */
export async function assetMachines(db: Queryable): Promise<Map<string, AssetMachine>> {
  const rows = await db.query<{ id: string; machine: AssetMachine }>(
    'SELECT id, machine FROM assets WHERE machine IS NOT NULL AND retired_at IS NULL',
  );
  return new Map(rows.map((r) => [r.id, r.machine]));
}

/** Each asset's type (kind), not retired, by asset id (for the learned model of its type). */
export async function assetTypes(db: Queryable): Promise<Map<string, string>> {
  const rows = await db.query<{ id: string; kind: string }>(
    'SELECT id, kind FROM assets WHERE retired_at IS NULL',
  );
  return new Map(rows.map((r) => [r.id, r.kind]));
}

/** The registry's sensors, machine models and asset types, for the processor's scoring and diagnosis. */
export function sensorCatalog(db: Queryable): SensorCatalog {
  return {
    sensors: () => listSensors(db),
    machines: () => assetMachines(db),
    assetTypes: () => assetTypes(db),
  };
}
