import { randomUUID } from 'node:crypto';
import { MissingReferenceError, RuleViolationError } from '../../domain/errors.ts';
import type { Asset, Sensor } from '../../domain/types.ts';
import type { AssetCursor, AssetPage, AssetQuery, AssetSort } from '../ports/asset-registry.ts';
import type { Queryable } from '../ports/database.ts';
import { type Lifecycle, lifecycleFilter } from './catalog.ts';
import { type AssetRow, type SensorRow, toAsset, toSensor } from './registry.ts';

export type { AssetCursor, AssetPage, AssetQuery, AssetSort };

/**
 * GET /v1/assets, a page at a time. By id, pages are a keyset over the id, which never changes. By a value
 * that changes while a client pages (health, name), a keyset would skip an asset that moves back past the
 * page boundary and repeat one that moves forward; such a listing pages instead through a snapshot of the
 * order taken by its first page (kept for SNAPSHOT_TTL), then lists the assets registered since, by id.
 */

/** How long a snapshot serves its listing, in SQL interval syntax. */
export const SNAPSHOT_TTL = '1 hour';

// health ascending is worst first; an asset not yet scored sorts after every scored one.
const orderBy: Record<AssetSort, string> = {
  id: 'a.id',
  name: 'a.name, a.id',
  health: 'COALESCE(a.health, 1000), a.id',
};

type Filters = Pick<AssetQuery, 'siteId' | 'lineId' | 'kind' | 'status' | 'sort'>;

const filterSql = (status: Lifecycle) =>
  `${lifecycleFilter('a.retired_at', status)}
   AND ($1::text IS NULL OR a.site_id = $1) AND ($2::text IS NULL OR a.line_id = $2)
   AND ($3::text IS NULL OR a.kind = $3)`;
const filterParams = (f: Filters) => [f.siteId ?? null, f.lineId ?? null, f.kind ?? null];

/** Rows with their sensors, in the order given. */
async function withSensors(db: Queryable, rows: AssetRow[]): Promise<Asset[]> {
  if (rows.length === 0) return [];
  const sensors = await db.query<SensorRow>(
    'SELECT * FROM sensors WHERE asset_id = ANY($1::text[]) ORDER BY id',
    [rows.map((r) => r.id)],
  );
  const byAsset = new Map<string, Sensor[]>();
  for (const s of sensors) byAsset.set(s.asset_id, [...(byAsset.get(s.asset_id) ?? []), toSensor(s)]);
  return rows.map((a) => toAsset(a, byAsset.get(a.id) ?? []));
}

/** Assets matching the filters, by id after `after`: limit + 1 rows, to tell whether a next page exists. */
async function byId(db: Queryable, f: Filters, limit: number, after?: string, exclude: string[] = []) {
  return db.query<AssetRow>(
    `SELECT a.* FROM assets a WHERE ${filterSql(f.status)}
       AND ($4::text IS NULL OR a.id > $4) AND NOT (a.id = ANY($5::text[]))
     ORDER BY a.id LIMIT $6`,
    [...filterParams(f), after ?? null, exclude, limit + 1],
  );
}

async function snapshotPage(db: Queryable, q: AssetQuery): Promise<AssetPage> {
  const cursor = q.cursor && 'snapshot' in q.cursor ? q.cursor : undefined;
  let snapshot: { id: string; filters: Filters; asset_ids: string[] };
  if (!cursor) {
    const ranked = await db.query<{ id: string }>(
      `SELECT a.id FROM assets a WHERE ${filterSql(q.status)} ORDER BY ${orderBy[q.sort]}`,
      filterParams(q),
    );
    const ids = ranked.map((r) => r.id);
    const rows = await db.query<AssetRow>('SELECT * FROM assets WHERE id = ANY($1::text[])', [
      ids.slice(0, q.limit),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = await withSensors(
      db,
      ids.slice(0, q.limit).flatMap((id) => byId.get(id) ?? []),
    );
    // One page holds them all: nothing to keep.
    if (ids.length <= q.limit) return { items, next: null };
    const filters: Filters = {
      siteId: q.siteId,
      lineId: q.lineId,
      kind: q.kind,
      status: q.status,
      sort: q.sort,
    };
    snapshot = { id: randomUUID(), filters, asset_ids: ids };
    await db.query(`DELETE FROM asset_list_snapshots WHERE created_at < now() - interval '${SNAPSHOT_TTL}'`);
    await db.query('INSERT INTO asset_list_snapshots (id, filters, asset_ids) VALUES ($1, $2, $3)', [
      snapshot.id,
      JSON.stringify(filters),
      ids,
    ]);
    return { items, next: { snapshot: snapshot.id, offset: q.limit } };
  }

  const [stored] = await db.query<{ id: string; filters: Filters; asset_ids: string[] }>(
    `SELECT id, filters, asset_ids FROM asset_list_snapshots
     WHERE id = $1 AND created_at >= now() - interval '${SNAPSHOT_TTL}'`,
    [cursor.snapshot],
  );
  if (!stored) {
    throw new MissingReferenceError(
      'cursor',
      `listing ${cursor.snapshot} does not exist or has expired (a listing sorted by ${q.sort} is kept for ` +
        `${SNAPSHOT_TTL}); start again without a cursor`,
    );
  }
  snapshot = stored;
  const f = snapshot.filters;
  const keys = ['siteId', 'lineId', 'kind', 'status', 'sort'] as const;
  if (keys.some((k) => f[k] !== q[k])) {
    throw new RuleViolationError('cursor', 'belongs to a listing with other filters or order');
  }
  const ids = snapshot.asset_ids.slice(cursor.offset, cursor.offset + q.limit);
  const rows = await db.query<AssetRow>('SELECT * FROM assets WHERE id = ANY($1::text[])', [ids]);
  const found = new Map(rows.map((r) => [r.id, r]));
  const ranked = ids.flatMap((id) => found.get(id) ?? []);
  const offset = cursor.offset + ids.length;
  if (offset < snapshot.asset_ids.length) {
    return { items: await withSensors(db, ranked), next: { snapshot: snapshot.id, offset } };
  }
  // The snapshot is done: the assets registered since follow, by id.
  const room = q.limit - ranked.length;
  const added = room > 0 ? await byId(db, f, room, cursor.after, snapshot.asset_ids) : [];
  const page = added.slice(0, room);
  const more =
    added.length > room || (room === 0 && (await byId(db, f, 0, undefined, snapshot.asset_ids)).length > 0);
  const last = page.at(-1)?.id ?? cursor.after;
  return {
    items: await withSensors(db, [...ranked, ...page]),
    next: more ? { snapshot: snapshot.id, offset, ...(last === undefined ? {} : { after: last }) } : null,
  };
}

/** One page of assets matching the filters, in the order of `sort` (see the module comment). */
export async function listAssets(db: Queryable, q: AssetQuery): Promise<AssetPage> {
  if (q.sort !== 'id') return snapshotPage(db, q);
  const after = q.cursor && 'after' in q.cursor && !('snapshot' in q.cursor) ? q.cursor.after : undefined;
  const rows = await byId(db, q, q.limit, after);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await withSensors(db, page),
    next: rows.length > q.limit && last ? { after: last.id } : null,
  };
}
