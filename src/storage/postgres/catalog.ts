import {
  ConflictError,
  MissingReferenceError,
  NotFoundError,
  PreconditionFailedError,
} from '../../domain/errors.ts';
import type { Lifecycle, Place, PlaceKind } from '../ports/asset-registry.ts';
import type { Queryable } from '../ports/database.ts';

export type { Lifecycle, Place, PlaceKind };

interface PlaceRow {
  id: string;
  name: string;
  site_id?: string;
  created_at: Date;
  updated_at: Date;
  retired_at: Date | null;
  version: number;
}

const tables = { site: 'sites', line: 'lines' } as const;

const toPlace = (r: PlaceRow): Place => ({
  id: r.id,
  name: r.name,
  ...(r.site_id !== undefined && { siteId: r.site_id }),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  retiredAt: r.retired_at?.toISOString() ?? null,
  version: r.version,
});

export const lifecycleFilter = (column: string, status: Lifecycle) =>
  status === 'all' ? 'TRUE' : `${column} IS ${status === 'active' ? '' : 'NOT '}NULL`;

export async function getPlace(db: Queryable, kind: PlaceKind, id: string): Promise<Place | null> {
  const [row] = await db.query<PlaceRow>(`SELECT * FROM ${tables[kind]} WHERE id = $1`, [id]);
  return row ? toPlace(row) : null;
}

async function mustGet(db: Queryable, kind: PlaceKind, id: string): Promise<Place> {
  const place = await getPlace(db, kind, id);
  if (!place) throw new NotFoundError(`${kind} ${id} not found`);
  return place;
}

export async function createPlace(
  db: Queryable,
  kind: PlaceKind,
  place: { id: string; name: string; siteId?: string },
): Promise<Place> {
  if (kind === 'line') {
    const site = await getPlace(db, 'site', place.siteId ?? '');
    if (!site) throw new MissingReferenceError('siteId', `site ${place.siteId} does not exist`);
    if (site.retiredAt) throw new ConflictError(`body.siteId: site ${place.siteId} is retired`);
  }
  const rows =
    kind === 'site'
      ? await db.query<PlaceRow>(
          'INSERT INTO sites (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING *',
          [place.id, place.name],
        )
      : await db.query<PlaceRow>(
          'INSERT INTO lines (id, site_id, name) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING *',
          [place.id, place.siteId, place.name],
        );
  if (rows.length === 0) throw new ConflictError(`${kind} ${place.id} already exists`);
  return toPlace(rows[0]);
}

/** Checks an If-Match version against the stored one: 412 when another update came first. */
export function checkVersion(kind: string, id: string, stored: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== stored) {
    throw new PreconditionFailedError(`${kind} ${id} is at version ${stored}, not ${expected}`);
  }
}

export async function renamePlace(
  db: Queryable,
  kind: PlaceKind,
  id: string,
  name: string,
  ifMatch?: number,
): Promise<Place> {
  const stored = await mustGet(db, kind, id);
  checkVersion(kind, id, stored.version, ifMatch);
  const [row] = await db.query<PlaceRow>(
    `UPDATE ${tables[kind]} SET name = $2, version = version + 1, updated_at = now()
     WHERE id = $1 AND version = $3 RETURNING *`,
    [id, name, stored.version],
  );
  if (!row) throw new PreconditionFailedError(`${kind} ${id} changed meanwhile; read it again`);
  return toPlace(row);
}

/** Retires a site or line with nothing active left in it: 409 naming what is still active. */
export async function retirePlace(
  db: Queryable,
  kind: PlaceKind,
  id: string,
  ifMatch?: number,
): Promise<Place> {
  const stored = await mustGet(db, kind, id);
  checkVersion(kind, id, stored.version, ifMatch);
  if (stored.retiredAt) throw new ConflictError(`${kind} ${id} is already retired`);
  const [{ assets, lines }] = await db.query<{ assets: number; lines: number }>(
    `SELECT (SELECT count(*)::int FROM assets WHERE ${kind}_id = $1 AND retired_at IS NULL) AS assets,
            (SELECT count(*)::int FROM lines WHERE site_id = $1 AND retired_at IS NULL AND $2) AS lines`,
    [id, kind === 'site'],
  );
  if (assets + lines > 0) {
    const what = [assets && `${assets} active asset(s)`, lines && `${lines} active line(s)`].filter(Boolean);
    throw new ConflictError(`${kind} ${id} still has ${what.join(' and ')}; retire them first`);
  }
  const [row] = await db.query<PlaceRow>(
    `UPDATE ${tables[kind]} SET retired_at = now(), version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id],
  );
  return toPlace(row);
}

/** By id, a page at a time: `after` is the last id of the previous page. `siteId` on sites: that one. */
export async function listPlaces(
  db: Queryable,
  kind: PlaceKind,
  q: { siteId?: string; status: Lifecycle; limit: number; after?: string },
): Promise<{ items: Place[]; next: string | null }> {
  const rows = await db.query<PlaceRow>(
    `SELECT * FROM ${tables[kind]}
     WHERE ${lifecycleFilter('retired_at', q.status)} AND ($1::text IS NULL OR id > $1)
       AND ($3::text IS NULL OR ${kind === 'line' ? 'site_id' : 'id'} = $3)
     ORDER BY id LIMIT $2`,
    [q.after ?? null, q.limit + 1, q.siteId ?? null],
  );
  const items = rows.slice(0, q.limit).map(toPlace);
  return { items, next: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null };
}
