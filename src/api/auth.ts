import { createHash, timingSafeEqual } from 'node:crypto';
import { type Principal, parseApiKey } from '../domain/access.ts';
import { TooManyRequestsError, UnauthorizedError } from '../domain/errors.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AccessRepository, StoredKey } from '../storage/ports/access.ts';

/** The key store as authentication reads it. */
export type KeyLookup = Pick<AccessRepository, 'findKey' | 'touchKey'>;

/** Keys are stored as the SHA-256 of their secret: 256 random bits need no slow password hash. */
const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface AuthOptions {
  /** The configured token: full (admin) access, for bootstrapping and for single-token setups. */
  bootstrapToken: string;
  /** How long a key looked up stays cached: revocation reaches other processes within this time. */
  cacheMs: number;
  /** Failed authentications per client address, and per API key, in a minute before failures get 429. */
  failuresPerMinute: number;
}

/** The principal the configured token acts as; writes are recorded under this name. */
export const BOOTSTRAP_ACTOR = 'api-token';

const LAST_USED_EVERY_MS = 60_000;
const MINUTE_MS = 60_000;

/**
 * Turns an Authorization header into a principal. The credential is checked first: a valid one is always
 * served, whatever others sharing its address (a NAT, a proxy) got wrong. Every failure is the same 401,
 * whatever was wrong; failures are counted per client address and per API key id the token names, and past
 * failuresPerMinute within a minute of the first, a further failure from that address or on that key gets
 * 429 with Retry-After, so that a client stuck on a bad credential backs off.
 */
export class Authenticator {
  private readonly keys = new Map<string, { key: StoredKey | null; at: number }>();
  private readonly failures = new Map<string, { since: number; count: number }>();
  private readonly lastTouched = new Map<string, number>();
  private readonly bootstrap: Buffer;
  private readonly keyStore: KeyLookup;
  private readonly metrics: Metrics;
  private readonly options: AuthOptions;

  constructor(keyStore: KeyLookup, metrics: Metrics, options: AuthOptions) {
    this.keyStore = keyStore;
    this.metrics = metrics;
    this.options = options;
    this.bootstrap = sha256(options.bootstrapToken);
  }

  /**
   * The principal of an Authorization header (`Bearer <token>`) presented from a client address.
   * Throws UnauthorizedError (401) for a missing or invalid credential, TooManyRequestsError (429) for one
   * from an address or on a key past its failure budget. A key verified within cacheMs needs no database, so
   * it is served through a database outage; errors of the key store (database down, answered 503 by
   * src/api/errors.ts) pass through otherwise.
   */
  async authenticate(header: string | undefined, client: string): Promise<Principal> {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
    const principal = await this.principalOf(token);
    if (principal) return principal;
    const now = Date.now();
    const keyId = parseApiKey(token)?.id;
    const counted = [`address ${client}`, ...(keyId ? [`key ${keyId}`] : [])];
    const over = counted
      .map((name) => this.failures.get(name))
      .filter((r) => r && now - r.since < MINUTE_MS && r.count >= this.options.failuresPerMinute);
    for (const name of counted) this.count(name, now);
    if (over.length > 0) {
      this.metrics.authFailures.inc({ reason: 'rate_limited' });
      const until = Math.max(...over.map((r) => (r as { since: number }).since + MINUTE_MS));
      throw new TooManyRequestsError(
        'too many failed authentications; try again later',
        Math.ceil((until - now) / 1000),
      );
    }
    this.metrics.authFailures.inc({ reason: 'invalid' });
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
    const key = await this.keyStore.findKey(id);
    if (this.keys.size > 10_000) this.keys.clear();
    this.keys.set(id, { key, at: Date.now() });
    return key;
  }

  /** Counts failures from the first one on, for a minute: a window that no clock boundary can reset early. */
  private count(name: string, now: number): void {
    const record = this.failures.get(name);
    if (record && now - record.since < MINUTE_MS) record.count++;
    else {
      // Forget every address and key when the map grows, so that a scan cannot fill memory.
      if (this.failures.size > 10_000) this.failures.clear();
      this.failures.set(name, { since: now, count: 1 });
    }
  }

  /** last_used_at at most once a minute per key: one UPDATE per request would cost more than ingesting it. */
  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(id) ?? 0) < LAST_USED_EVERY_MS) return;
    this.lastTouched.set(id, now);
    // On failure (the database away) only the last-used time is late, and it is tried again a minute later,
    // not on every request of the outage.
    this.keyStore.touchKey(id).catch(() => {});
  }
}

/**
 * fastify's trustProxy from the http.trustProxy setting: 'false' (the socket peer is the client), 'true'
 * (trust every X-Forwarded-For hop), a hop count, or a comma-separated list of proxy addresses and CIDRs.
 */
export function trustProxyOf(
  setting: string,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  const value = setting.trim();
  if (value === 'false' || value === '') return false;
  if (value === 'true') return true;
  // As fastify does for a number: trust the n hops nearest to the server.
  if (/^\d+$/.test(value)) return (_address, hop) => hop < Number(value);
  return value.split(',').map((part) => part.trim());
}
