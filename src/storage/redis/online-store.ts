import { createClient, defineScript, ErrorReply } from 'redis';
import type { WindowFeatures } from '../../domain/types.ts';
import { backoffMs } from '../../lib/retry.ts';
import type { Logger } from '../../observability/logger.ts';
import type { OnlineStore } from '../ports/online-store.ts';
import { decodeFeatures, encodeFeatures, featuresKey, newestByAsset } from './features.ts';

/**
 * Writes an asset's windows, each only if it is not older than the one stored, then renews the hash's TTL.
 * A Lua script rather than WATCH/MULTI: the compare and the write happen in one step on the server, in the
 * same round trip as the rest of the batch, and never retry under contention (two processors owning the
 * same asset for a moment during a rebalance). An unreadable stored value is replaced.
 * KEYS[1]: the asset's hash; ARGV[1]: TTL in seconds; then (sensor id, window start in ms, JSON) triples.
 * Returns the number of windows written.
 */
const putNewer = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
local written = 0
for i = 2, #ARGV, 3 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  local newer = true
  if current then
    local ok, stored = pcall(cjson.decode, current)
    if ok and type(stored) == 'table' and type(stored.windowStart) == 'number' then
      newer = stored.windowStart <= tonumber(ARGV[i + 1])
    end
  end
  if newer then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
    written = written + 1
  end
end
if written > 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return written`,
  parseCommand(parser, key: string, args: string[]) {
    parser.pushKey(key);
    parser.push(...args);
  },
  transformReply: undefined as unknown as () => number,
});

export interface RedisOnlineStoreOptions {
  /** Life of an asset's hash after its last write, in seconds (see defaultTtlSeconds). */
  ttlSeconds: number;
  /** A read waits this long, in milliseconds, before the caller is told to read elsewhere. */
  readTimeoutMs: number;
  /** A batch write waits this long, in milliseconds: bounds what a hung server costs the processor. */
  writeTimeoutMs?: number;
  /** Reconnection backoff, in milliseconds: first wait and cap (jittered, see lib/retry.ts). */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  log?: Logger;
}

/** The online store is unreachable or slow: the caller reads the database instead. */
export class OnlineStoreUnavailableError extends Error {
  override name = 'OnlineStoreUnavailableError';
}

/**
 * `promise`, rejected with OnlineStoreUnavailableError when it takes longer than `ms` or the connection
 * fails under it; the server's own error replies (OOM, a script error) pass as they are.
 */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new OnlineStoreUnavailableError(`${what}: no answer within ${ms} ms`)),
      ms,
    );
  });
  const answered = promise.catch((err: Error) => {
    if (err instanceof ErrorReply) throw err;
    throw new OnlineStoreUnavailableError(`${what}: ${err.message}`, { cause: err });
  });
  return Promise.race([answered, late]).finally(() => clearTimeout(timer));
}

/**
 * The online store on Redis (`redis://[:password@]host:6379[/db]`, `rediss://` for TLS), with node-redis.
 * Reads and writes fail fast while the connection is down, instead of queueing, so that the api falls back
 * to the database and the processor goes on; the client reconnects in the background with the project's
 * backoff. Connecting starts at construction and never blocks start-up.
 */
export class RedisOnlineStore implements OnlineStore {
  private readonly client;
  private readonly options: Required<Omit<RedisOnlineStoreOptions, 'log'>> & { log?: Logger };
  private down = false;
  private closed = false;

  constructor(url: string, options: RedisOnlineStoreOptions) {
    this.options = { writeTimeoutMs: 2_000, reconnectBaseMs: 100, reconnectMaxMs: 5_000, ...options };
    const { reconnectBaseMs, reconnectMaxMs, log } = this.options;
    this.client = createClient({
      url,
      scripts: { putNewer },
      // Commands fail at once while reconnecting: a queue would hold the api's reads past their timeout.
      disableOfflineQueue: true,
      // Bounds what a hung server can pile up in the client.
      commandsQueueMaxLength: 10_000,
      socket: {
        connectTimeout: Math.max(1_000, options.readTimeoutMs),
        reconnectStrategy: (retries) => backoffMs(retries + 1, reconnectBaseMs, reconnectMaxMs),
      },
    });
    // One line per change of state, not one per reconnection attempt.
    this.client.on('error', (err: Error) => {
      if (this.down || this.closed) return;
      this.down = true;
      log?.warn({ err }, 'online store unreachable; reads fall back to the database, writes are skipped');
    });
    this.client.on('ready', () => {
      if (this.down) log?.info('online store reachable again');
      this.down = false;
    });
    this.client.connect().catch((err: Error) => {
      if (!this.closed) log?.error({ err }, 'online store: gave up connecting');
    });
  }

  private ready(what: string): void {
    if (!this.client.isReady) throw new OnlineStoreUnavailableError(`${what}: not connected to Redis`);
  }

  /**
   * Stores each series' newest window of the batch, one script call per asset, all in one round trip.
   * Throws OnlineStoreUnavailableError when disconnected or slow, or the server's error (OOM when it is full
   * and cannot evict): the online store is best effort and the caller decides what a failure costs.
   */
  async put(features: WindowFeatures[]): Promise<void> {
    if (features.length === 0) return;
    this.ready('write');
    const ttl = String(this.options.ttlSeconds);
    const pipeline = this.client.multi();
    for (const [assetId, sensors] of newestByAsset(features)) {
      const args = [ttl];
      for (const f of sensors.values()) args.push(f.sensorId, String(f.windowStart), encodeFeatures(f));
      pipeline.putNewer(featuresKey(assetId), args);
    }
    await within(pipeline.execAsPipeline(), this.options.writeTimeoutMs, 'write');
  }

  /**
   * Latest window of each sensor of an asset, by sensor id; `{}` when Redis holds none (never written, or
   * expired or evicted). Throws OnlineStoreUnavailableError when Redis is down or slower than the read
   * timeout, and an Error naming the key and field when a stored value is not a window.
   */
  async latest(assetId: string): Promise<Record<string, WindowFeatures>> {
    this.ready('read');
    const key = featuresKey(assetId);
    const fields = await within(this.client.hGetAll(key), this.options.readTimeoutMs, 'read');
    const latest: Record<string, WindowFeatures> = {};
    for (const [sensorId, value] of Object.entries(fields)) {
      latest[sensorId] = decodeFeatures(key, sensorId, String(value));
    }
    return latest;
  }

  /** PING, for readiness and doctor: resolves with a one-line detail, throws when Redis does not answer. */
  async ping(): Promise<string> {
    this.ready('PING');
    const pong = await within(this.client.ping(), this.options.readTimeoutMs, 'PING');
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    return 'Redis answers PING';
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.client.isOpen) this.client.destroy();
  }
}
