import { createHash, randomBytes } from 'node:crypto';
import { formatApiKey, type Role } from '../../domain/access.ts';
import { MissingReferenceError, RuleViolationError } from '../../domain/errors.ts';
import type { ApiKeyView, AuditEntry, AuditView, NewKey, StoredKey } from '../ports/access.ts';
import type { Queryable } from '../ports/database.ts';

export type { ApiKeyView, AuditEntry, AuditView, NewKey, StoredKey };

interface KeyRow {
  id: string;
  name: string;
  role: Role;
  site_id: string | null;
  secret_sha256: Buffer | Uint8Array;
  created_at: Date;
  created_by: string;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toKey = (r: KeyRow): StoredKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  siteId: r.site_id,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  secretSha256: Buffer.from(r.secret_sha256),
});

const view = ({ secretSha256: _, ...key }: StoredKey): ApiKeyView => key;

/**
 * A fast digest is enough: secrets are 256 random bits, not passwords, so no slow hash is needed against
 * guessing, and authentication stays cheap at ingest rates.
 */
export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Creates a key; the returned token is the only time its secret exists outside the caller's hands. */
export async function createApiKey(db: Queryable, key: NewKey): Promise<{ key: ApiKeyView; token: string }> {
  const siteId = key.siteId ?? null;
  if (key.role === 'device' && !siteId) throw new RuleViolationError('siteId', 'a device token needs a site');
  if (key.role !== 'device' && siteId)
    throw new RuleViolationError('siteId', 'only device tokens are site-scoped');
  if (siteId && (await db.query('SELECT 1 FROM sites WHERE id = $1', [siteId])).length === 0) {
    throw new MissingReferenceError('siteId', `site ${siteId} does not exist`);
  }
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const [row] = await db.query<KeyRow>(
    `INSERT INTO api_keys (id, name, role, site_id, secret_sha256, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [id, key.name, key.role, siteId, sha256(secret), key.createdBy],
  );
  return { key: view(toKey(row)), token: formatApiKey(id, secret) };
}

export async function findApiKey(db: Queryable, id: string): Promise<StoredKey | null> {
  const [row] = await db.query<KeyRow>('SELECT * FROM api_keys WHERE id = $1', [id]);
  return row ? toKey(row) : null;
}

export async function listApiKeys(db: Queryable, includeRevoked = false): Promise<ApiKeyView[]> {
  const rows = await db.query<KeyRow>(
    'SELECT * FROM api_keys WHERE $1 OR revoked_at IS NULL ORDER BY created_at, id',
    [includeRevoked],
  );
  return rows.map((r) => view(toKey(r)));
}

/** Revokes a key; false when there is no such key or it was revoked already. */
export async function revokeApiKey(db: Queryable, id: string, by: string): Promise<boolean> {
  const rows = await db.query(
    'UPDATE api_keys SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
    [id, by],
  );
  return rows.length > 0;
}

export async function touchApiKey(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
}

export async function recordAudit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, role, method, route, path, status, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.actor, e.role, e.method, e.route, e.path, e.status, e.requestId],
  );
}

/** Newest first, by id: a page costs the same however deep it is. */
export async function listAudit(
  db: Queryable,
  q: { actor?: string; limit: number; before?: string },
): Promise<{ items: AuditView[]; next: string | null }> {
  const rows = await db.query<{
    id: string;
    at: Date;
    actor: string;
    role: Role;
    method: string;
    route: string;
    path: string;
    status: number;
    request_id: string;
  }>(
    `SELECT id::text, at, actor, role, method, route, path, status, request_id FROM audit_log
     WHERE ($1::text IS NULL OR actor = $1) AND ($2::bigint IS NULL OR id < $2::bigint)
     ORDER BY audit_log.id DESC LIMIT $3`,
    [q.actor ?? null, q.before ?? null, q.limit + 1],
  );
  const items = rows.slice(0, q.limit).map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    role: r.role,
    method: r.method,
    route: r.route,
    path: r.path,
    status: r.status,
    requestId: r.request_id,
  }));
  return { items, next: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null };
}
