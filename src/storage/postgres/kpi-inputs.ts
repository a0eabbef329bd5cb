import { randomUUID } from 'node:crypto';
import {
  MissingReferenceError,
  NotFoundError,
  PreconditionFailedError,
  RuleViolationError,
  ValidationError,
} from '../../domain/errors.ts';
import type { DowntimeEvent, ProductionCount } from '../../domain/kpis.ts';
import type { Queryable, Transaction } from '../ports/database.ts';
import type { Count, Downtime, NewDowntime } from '../ports/kpis.ts';
import { checkVersion } from './catalog.ts';
import { lastByKey, storedMicros, utcDay } from './instants.ts';
import { lockAsKpiInputChange } from './kpi-daily.ts';

export type { Count, Downtime, NewDowntime };

/** Downtime events and production counts: the inputs of MTBF, MTTR and OEE. */

interface DowntimeRow {
  id: string;
  asset_id: string;
  kind: 'planned' | 'unplanned';
  reason: string;
  started_at: Date;
  ended_at: Date | null;
  work_order_id: string | null;
  created_by: string;
  version: number;
}

const toDowntime = (r: DowntimeRow): Downtime => ({
  id: r.id,
  assetId: r.asset_id,
  kind: r.kind,
  reason: r.reason,
  start: r.started_at.toISOString(),
  end: r.ended_at?.toISOString() ?? null,
  workOrderId: r.work_order_id,
  createdBy: r.created_by,
  version: r.version,
});

/** A downtime change may merge or split periods on any day, and move an asset's start: all its days go. */
async function forgetDays(tx: Queryable, assetId: string): Promise<void> {
  await lockAsKpiInputChange(tx);
  await tx.query('DELETE FROM kpi_daily WHERE asset_id = $1', [assetId]);
}

async function mustBeAsset(tx: Queryable, assetId: string): Promise<void> {
  if ((await tx.query('SELECT 1 FROM assets WHERE id = $1', [assetId])).length === 0) {
    throw new MissingReferenceError('assetId', `asset ${assetId} does not exist`);
  }
}

export async function createDowntime(tx: Transaction, d: NewDowntime): Promise<Downtime> {
  await mustBeAsset(tx, d.assetId);
  if (d.end !== null && d.end <= d.start) throw new RuleViolationError('end', 'must be after start');
  if (d.workOrderId) {
    const [order] = await tx.query<{ asset_id: string }>('SELECT asset_id FROM work_orders WHERE id = $1', [
      d.workOrderId,
    ]);
    if (!order || order.asset_id !== d.assetId) {
      throw new RuleViolationError('workOrderId', `is not a work order of asset ${d.assetId}`);
    }
  }
  const [row] = await tx.query<DowntimeRow>(
    `INSERT INTO downtime_events (id, asset_id, kind, reason, started_at, ended_at, work_order_id, created_by)
     VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), to_timestamp($6 / 1000.0), $7, $8) RETURNING *`,
    [randomUUID(), d.assetId, d.kind, d.reason, d.start, d.end, d.workOrderId ?? null, d.actor],
  );
  await forgetDays(tx, d.assetId);
  return toDowntime(row);
}

export async function getDowntime(db: Queryable, id: string): Promise<Downtime | null> {
  const [row] = await db.query<DowntimeRow>('SELECT * FROM downtime_events WHERE id = $1', [id]);
  return row ? toDowntime(row) : null;
}

/** Ends an open event, or corrects an event's end or reason. */
export async function updateDowntime(
  tx: Transaction,
  id: string,
  patch: { end?: number | null; reason?: string },
  ifMatch?: number,
): Promise<Downtime> {
  const [row] = await tx.query<DowntimeRow>('SELECT * FROM downtime_events WHERE id = $1 FOR UPDATE', [id]);
  if (!row) throw new NotFoundError(`downtime event ${id} not found`);
  checkVersion('downtime event', id, row.version, ifMatch);
  const end = patch.end === undefined ? (row.ended_at?.getTime() ?? null) : patch.end;
  if (end !== null && end <= row.started_at.getTime()) {
    throw new ValidationError('end', `must be after the start, ${row.started_at.toISOString()}`);
  }
  const [updated] = await tx.query<DowntimeRow>(
    `UPDATE downtime_events SET ended_at = to_timestamp($2 / 1000.0), reason = COALESCE($3, reason),
       version = version + 1, updated_at = now()
     WHERE id = $1 AND version = $4 RETURNING *`,
    [id, end, patch.reason ?? null, row.version],
  );
  if (!updated) throw new PreconditionFailedError(`downtime event ${id} changed meanwhile; read it again`);
  await forgetDays(tx, row.asset_id);
  return toDowntime(updated);
}

/** An asset's events overlapping [from, to), newest first. */
export async function listDowntime(
  db: Queryable,
  q: { assetId?: string; from: number; to: number; limit: number },
): Promise<Downtime[]> {
  const rows = await db.query<DowntimeRow>(
    `SELECT * FROM downtime_events
     WHERE ($1::text IS NULL OR asset_id = $1) AND started_at < to_timestamp($3 / 1000.0)
       AND (ended_at IS NULL OR ended_at > to_timestamp($2 / 1000.0))
     ORDER BY started_at DESC, id LIMIT $4`,
    [q.assetId ?? null, q.from, q.to, q.limit],
  );
  return rows.map(toDowntime);
}

/**
 * Stores counts all or nothing. A count resent for the same asset and time replaces the first, also within one
 * batch (the last one wins), where times count as the same once rounded to the stored microsecond.
 * Returns how many rows the batch stored: its count less the repeats within it.
 * Throws ValidationError naming `<i>.<field>` (`0.assetId`, `2.good`) for an unknown asset or good > produced.
 */
export async function recordCounts(tx: Transaction, counts: Count[], actor: string): Promise<number> {
  const assets = [...new Set(counts.map((c) => c.assetId))];
  const known = new Set(
    (await tx.query<{ id: string }>('SELECT id FROM assets WHERE id = ANY($1::text[])', [assets])).map(
      (r) => r.id,
    ),
  );
  counts.forEach((c, i) => {
    if (!known.has(c.assetId))
      throw new MissingReferenceError(`${i}.assetId`, `asset ${c.assetId} does not exist`);
    if (c.good > c.produced) throw new RuleViolationError(`${i}.good`, 'must not exceed produced');
  });
  const rows = lastByKey(counts, (c) => `${c.assetId}\u0000${storedMicros(c.ts)}`);
  // A count before an asset's start moves its KPI periods back: every stored day of it is recomputed.
  const starts = await inServiceStarts(tx, assets);
  const earlier = new Set(rows.filter((c) => c.ts < (starts.get(c.assetId) ?? 0)).map((c) => c.assetId));
  await tx.query(
    `INSERT INTO production_counts (asset_id, ts, produced, good, recorded_by)
     SELECT a, to_timestamp(t / 1000.0), p, g, $5
     FROM unnest($1::text[], $2::double precision[], $3::int[], $4::int[]) AS u(a, t, p, g)
     ON CONFLICT (asset_id, ts) DO UPDATE SET produced = EXCLUDED.produced, good = EXCLUDED.good,
       recorded_by = EXCLUDED.recorded_by`,
    [
      rows.map((c) => c.assetId),
      rows.map((c) => c.ts),
      rows.map((c) => c.produced),
      rows.map((c) => c.good),
      actor,
    ],
  );
  const days = rows.filter((c) => !earlier.has(c.assetId));
  await lockAsKpiInputChange(tx);
  await tx.query(
    `DELETE FROM kpi_daily k USING unnest($1::text[], $2::date[]) AS u(a, d)
     WHERE k.asset_id = u.a AND k.day = u.d`,
    [days.map((c) => c.assetId), days.map((c) => utcDay(c.ts))],
  );
  for (const assetId of earlier) await forgetDays(tx, assetId);
  return rows.length;
}

/**
 * When each asset's KPI periods start, in epoch ms: its registration, or its earliest downtime event or
 * production count when history recorded before the registration goes back further (docs/kpis.md).
 */
export async function inServiceStarts(db: Queryable, assetIds: string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ id: string; start: number }>(
    `SELECT a.id, extract(epoch FROM LEAST(a.created_at,
         (SELECT min(started_at) FROM downtime_events d WHERE d.asset_id = a.id),
         (SELECT min(ts) FROM production_counts p WHERE p.asset_id = a.id))) * 1000 AS start
     FROM assets a WHERE a.id = ANY($1::text[])`,
    [assetIds],
  );
  return new Map(rows.map((r) => [r.id, Number(r.start)]));
}

export async function listCounts(
  db: Queryable,
  q: { assetId?: string; from: number; to: number; limit: number },
): Promise<(Count & { recordedBy: string })[]> {
  const rows = await db.query<{
    asset_id: string;
    ts: Date;
    produced: number;
    good: number;
    recorded_by: string;
  }>(
    `SELECT * FROM production_counts
     WHERE ($1::text IS NULL OR asset_id = $1) AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)
     ORDER BY ts DESC, asset_id LIMIT $4`,
    [q.assetId ?? null, q.from, q.to, q.limit],
  );
  return rows.map((r) => ({
    assetId: r.asset_id,
    ts: r.ts.getTime(),
    produced: r.produced,
    good: r.good,
    recordedBy: r.recorded_by,
  }));
}

/**
 * Every event of these assets overlapping [from, to), widened until no event outside the window joins one
 * inside it: a failure period is merged from all its overlapping events, however far back they start.
 */
export async function downtimeInputs(
  db: Queryable,
  assetIds: string[],
  from: number,
  to: number,
): Promise<Map<string, DowntimeEvent[]>> {
  let lo = from;
  let hi = to;
  for (;;) {
    const rows = await db.query<{
      asset_id: string;
      kind: 'planned' | 'unplanned';
      s: number;
      e: number | null;
    }>(
      `SELECT asset_id, kind, extract(epoch FROM started_at) * 1000 AS s, extract(epoch FROM ended_at) * 1000 AS e
       FROM downtime_events WHERE asset_id = ANY($1::text[]) AND started_at < to_timestamp($3 / 1000.0)
         AND (ended_at IS NULL OR ended_at > to_timestamp($2 / 1000.0))`,
      [assetIds, lo, hi],
    );
    const events = rows.map((r) => ({
      assetId: r.asset_id,
      kind: r.kind,
      start: Number(r.s),
      end: r.e === null ? null : Number(r.e),
    }));
    const earliest = Math.min(lo, ...events.map((e) => e.start));
    const latest = Math.max(hi, ...events.map((e) => e.end ?? hi));
    if (earliest >= lo && latest <= hi) {
      const byAsset = new Map<string, DowntimeEvent[]>(assetIds.map((id) => [id, []]));
      for (const { assetId, ...e } of events) byAsset.get(assetId)?.push(e);
      return byAsset;
    }
    lo = earliest;
    hi = latest;
  }
}

export async function productionInputs(
  db: Queryable,
  assetIds: string[],
  from: number,
  to: number,
): Promise<Map<string, ProductionCount[]>> {
  const rows = await db.query<{ asset_id: string; t: number; produced: number; good: number }>(
    `SELECT asset_id, extract(epoch FROM ts) * 1000 AS t, produced, good FROM production_counts
     WHERE asset_id = ANY($1::text[]) AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)`,
    [assetIds, from, to],
  );
  const byAsset = new Map<string, ProductionCount[]>(assetIds.map((id) => [id, []]));
  for (const r of rows)
    byAsset.get(r.asset_id)?.push({ ts: Number(r.t), produced: r.produced, good: r.good });
  return byAsset;
}
