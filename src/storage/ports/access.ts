import type { Role } from '../../domain/access.ts';

/** An API key as listed: never its secret. Times are ISO 8601. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  /** The site a device token ingests for; null for other roles. */
  siteId: string | null;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key as authentication needs it: with the SHA-256 of its secret (32 bytes). */
export interface StoredKey extends ApiKeyView {
  secretSha256: Buffer;
}

export interface NewKey {
  name: string;
  role: Role;
  /** Required for the device role, refused for the others. */
  siteId?: string | null;
  createdBy: string;
}

/** One authenticated write attempt, whatever its outcome (status: the HTTP status answered). */
export interface AuditEntry {
  actor: string;
  role: Role;
  method: string;
  route: string;
  path: string;
  status: number;
  requestId: string;
}

/** An audit entry as read back (at: ISO 8601). */
export interface AuditView extends AuditEntry {
  id: string;
  at: string;
}

/** API keys and the audit log of writes. */
export interface AccessRepository {
  /**
   * Creates a key; the token returned is the only time its secret exists outside the caller's hands.
   * Throws ValidationError on field `site` (a device token without a site, a site on another role, an
   * unknown site).
   */
  createKey(key: NewKey): Promise<{ key: ApiKeyView; token: string }>;
  /** Keys oldest first, revoked ones only with `includeRevoked`. */
  listKeys(includeRevoked?: boolean): Promise<ApiKeyView[]>;
  /** Revokes a key as `by`; false when there is no such key or it was revoked already. */
  revokeKey(id: string, by: string): Promise<boolean>;
  /** A key with its secret's digest, revoked or not; null when unknown. */
  findKey(id: string): Promise<StoredKey | null>;
  /** Records that a key was used now. */
  touchKey(id: string): Promise<void>;
  recordAudit(entry: AuditEntry): Promise<void>;
  /** Audit entries newest first; `before` and `next` are entry ids (decimal digits). */
  listAudit(q: {
    actor?: string;
    limit: number;
    before?: string;
  }): Promise<{ items: AuditView[]; next: string | null }>;
}
