import { timingSafeEqual } from 'node:crypto';
import { type Principal, parseApiKey } from '../domain/access.ts';
import { TooManyRequestsError, UnauthorizedError } from '../domain/errors.ts';
import type { Metrics } from '../observability/metrics.ts';
import { findApiKey, type StoredKey, sha256, touchApiKey } from '../storage/access.ts';
import type { Queryable } from '../storage/port.ts';

export interface AuthOptions {
  /** The configured token: full (admin) access, for bootstrapping and for single-token setups. */
  bootstrapToken: string;
  /** How long a key looked up stays cached: revocation reaches other processes within this time. */
  cacheMs: number;
  /** Failed authentications per client address and minute before it gets 429. */
  failuresPerMinute: number;
}

/** The principal the configured token acts as; writes are recorded under this name. */
export const BOOTSTRAP_ACTOR = 'api-token';

const LAST_USED_EVERY_MS = 60_000;
const MINUTE_MS = 60_000;

/**
 * Turns an Authorization header into a principal. Every failure is the same 401, whatever was wrong; a
 * client address with too many failures within a minute of its first gets 429 without its guess being checked.
 */
export class Authenticator {
  private readonly keys = new Map<string, { key: StoredKey | null; at: number }>();
  private readonly failures = new Map<string, { since: number; count: number }>();
  private readonly lastTouched = new Map<string, number>();
  private readonly bootstrap: Buffer;
  private readonly db: Queryable;
  private readonly metrics: Metrics;
  private readonly options: AuthOptions;

  constructor(db: Queryable, metrics: Metrics, options: AuthOptions) {
    this.db = db;
    this.metrics = metrics;
    this.options = options;
    this.bootstrap = sha256(options.bootstrapToken);
  }

  async authenticate(header: string | undefined, client: string): Promise<Principal> {
    const now = Date.now();
    const record = this.failures.get(client);
    if (record && now - record.since < MINUTE_MS && record.count >= this.options.failuresPerMinute) {
      this.metrics.authFailures.inc({ reason: 'rate_limited' });
      const retryAfter = Math.ceil((record.since + MINUTE_MS - now) / 1000);
      throw new TooManyRequestsError('too many failed authentications; try again later', retryAfter);
    }
    const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
    const principal = await this.principalOf(token);
    if (principal) return principal;
    this.fail(client, now);
    throw new UnauthorizedError();
  }

  /** Drops a cached key at once, so that a revocation in this process takes effect immediately. */
  forget(keyId: string): void {
    this.keys.delete(keyId);
  }

  private async principalOf(token: string): Promise<Principal | null> {
    // Digests compare in the same time whatever the length of the guess.
    const digest = sha256(token);
    if (timingSafeEqual(digest, this.bootstrap)) {
      return { actor: BOOTSTRAP_ACTOR, role: 'admin', siteId: null, keyId: null };
    }
    const parsed = parseApiKey(token);
    if (!parsed) return null;
    const key = await this.lookup(parsed.id);
    if (!key || key.revokedAt !== null || !timingSafeEqual(sha256(parsed.secret), key.secretSha256))
      return null;
    this.touch(key.id);
    return { actor: `${key.name} (${key.id})`, role: key.role, siteId: key.siteId, keyId: key.id };
  }

  private async lookup(id: string): Promise<StoredKey | null> {
    const cached = this.keys.get(id);
    if (cached && Date.now() - cached.at < this.options.cacheMs) return cached.key;
    const key = await findApiKey(this.db, id);
    if (this.keys.size > 10_000) this.keys.clear();
    this.keys.set(id, { key, at: Date.now() });
    return key;
  }

  /** Counts failures from the first one on, for a minute: a window that no clock boundary can reset early. */
  private fail(client: string, now: number): void {
    this.metrics.authFailures.inc({ reason: 'invalid' });
    const record = this.failures.get(client);
    if (record && now - record.since < MINUTE_MS) record.count++;
    else {
      // Forget every address when the map grows, so that a scan of addresses cannot fill memory.
      if (this.failures.size > 10_000) this.failures.clear();
      this.failures.set(client, { since: now, count: 1 });
    }
  }

  /** last_used_at at most once a minute per key: one UPDATE per request would cost more than ingesting it. */
  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(id) ?? 0) < LAST_USED_EVERY_MS) return;
    this.lastTouched.set(id, now);
    touchApiKey(this.db, id).catch(() => {
      // Only the last-used time is late; the request goes on.
      this.lastTouched.delete(id);
    });
  }
}
