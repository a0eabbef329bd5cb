import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import type { WindowFeatures } from '../src/domain/types.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { putOnline } from '../src/pipeline/online-writes.ts';
import { OnlineStoreUnavailableError, RedisOnlineStore } from '../src/storage/redis/online-store.ts';
import { alignedStart, bodyOf, client, startApp } from './helpers/app.ts';
import { createTestDatabase, executableAvailable, postgresAvailable } from './helpers/infra.ts';
import { type OwnedRedis, ownedRedis, REDIS_SERVER } from './helpers/redis.ts';

const redisAvailable = (await executableAvailable(REDIS_SERVER)).available;
const pgAvailable = (await postgresAvailable()).available;

const window = (assetId: string, sensorId: string, windowStart: number, mean = 1): WindowFeatures => ({
  assetId,
  sensorId,
  windowStart,
  windowEnd: windowStart + 10_000,
  count: 10,
  mean,
  min: mean - 1,
  max: mean + 1,
  std: 0.5,
  rms: mean,
  peakToPeak: 2,
  crestFactor: null,
  skewness: null,
  kurtosis: null,
  dominantHz: null,
  bandEnergies: null,
  anomalyScore: 0.1,
  health: 90,
});

const store = (url: string, more: Partial<ConstructorParameters<typeof RedisOnlineStore>[1]> = {}) =>
  new RedisOnlineStore(url, { ttlSeconds: 600, readTimeoutMs: 500, reconnectMaxMs: 200, ...more });

/** Waits until the store's client is connected (it connects in the background). */
async function connected(s: RedisOnlineStore): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      await s.ping().then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('online store never connected');
}

describe.runIf(redisAvailable)('redis:// online store on Redis with deploy/redis/redis.conf', () => {
  let redis: OwnedRedis;
  let online: RedisOnlineStore;
  const t0 = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    redis = await ownedRedis();
    await redis.start();
    online = store(redis.url);
    await connected(online);
  });

  afterAll(async () => {
    await online?.close();
    await redis?.kill();
  });

  it('keeps one hash per asset with a field per sensor, expiring after the TTL', async () => {
    await online.put([window('p1', 'p1.vib', t0), window('p1', 'p1.temp', t0, 40)]);
    const inspect = await redis.inspect();
    expect((await inspect.hKeys('mantis:features:p1')).sort()).toEqual(['p1.temp', 'p1.vib']);
    const ttl = await inspect.ttl('mantis:features:p1');
    inspect.destroy();
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    expect(await online.latest('p1')).toEqual({
      'p1.temp': window('p1', 'p1.temp', t0, 40),
      'p1.vib': window('p1', 'p1.vib', t0),
    });
    expect(await online.latest('nobody')).toEqual({});
  });

  it('never lets a replayed older window replace a newer one', async () => {
    await online.put([window('r1', 'r1.vib', t0 + 20_000, 3), window('r1', 'r1.temp', t0, 1)]);
    // The replay of an older window, alone and inside a batch that carries a newer window of another sensor.
    await online.put([window('r1', 'r1.vib', t0 + 10_000, 2)]);
    await online.put([window('r1', 'r1.vib', t0, 1), window('r1', 'r1.temp', t0 + 10_000, 2)]);
    const latest = await online.latest('r1');
    expect([latest['r1.vib'].windowStart, latest['r1.vib'].mean]).toEqual([t0 + 20_000, 3]);
    expect([latest['r1.temp'].windowStart, latest['r1.temp'].mean]).toEqual([t0 + 10_000, 2]);
    // The same window again (an at-least-once replay) rewrites it harmlessly.
    await online.put([window('r1', 'r1.vib', t0 + 20_000, 3)]);
    expect((await online.latest('r1'))['r1.vib'].mean).toBe(3);
  });

  it('keeps features written a second before a kill -9 (AOF everysec), and reconnects', async () => {
    const features = Array.from({ length: 50 }, (_, i) => window(`k${i}`, `k${i}.vib`, t0 + i, i));
    await online.put(features);
    await new Promise((r) => setTimeout(r, 1_500));
    await redis.kill();
    // No snapshot was due (save 60 10000 at the soonest): what comes back comes from the append-only file.
    expect(existsSync(join(redis.dir, 'dump.rdb'))).toBe(false);
    await expect(online.latest('k1')).rejects.toBeInstanceOf(OnlineStoreUnavailableError);
    await redis.start();
    await connected(online);
    for (const f of features) expect(await online.latest(f.assetId)).toEqual({ [f.sensorId]: f });
    const inspect = await redis.inspect();
    expect(await inspect.ttl('mantis:features:k0')).toBeGreaterThan(0);
    inspect.destroy();
  });

  it('fails fast, without queueing, while Redis is down', async () => {
    const unreachable = store('redis://127.0.0.1:1');
    const started = performance.now();
    await expect(unreachable.latest('p1')).rejects.toThrow('read: not connected to Redis');
    await expect(unreachable.put([window('p1', 'p1.vib', t0)])).rejects.toThrow('write: not connected');
    await expect(unreachable.ping()).rejects.toBeInstanceOf(OnlineStoreUnavailableError);
    expect(performance.now() - started).toBeLessThan(100);
    await unreachable.close();
  });
});

describe.runIf(redisAvailable)('Redis full: maxmemory with many assets', () => {
  let redis: OwnedRedis;
  let online: RedisOnlineStore;
  const maxmemory = 2 * 1024 * 1024;

  beforeAll(async () => {
    redis = await ownedRedis(['--maxmemory', String(maxmemory), '--appendonly', 'no', '--save', '']);
    await redis.start();
    online = store(redis.url);
    await connected(online);
  });

  afterAll(async () => {
    await online?.close();
    await redis?.kill();
  });

  const usedMemory = async () => {
    const inspect = await redis.inspect();
    const info = await inspect.info('memory');
    const stats = await inspect.info('stats');
    inspect.destroy();
    const field = (text: string, name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1]);
    return { used: field(info, 'used_memory'), evicted: field(stats, 'evicted_keys') };
  };

  it('evicts assets (volatile-lru) and stays under maxmemory; every write succeeds', async () => {
    const metrics = createMetrics();
    const log = createLogger('silent');
    const start = Date.UTC(2026, 0, 1);
    const sensors = ['vib', 'temp', 'current', 'pressure'];
    for (let batch = 0; batch < 40; batch++) {
      // Redis keeps each key's last access on an LRU clock of 1 s resolution (LRU_CLOCK_RESOLUTION): keys
      // written in the same second look equally old to eviction. The last batch is written two ticks after
      // the others, so that it is strictly the most recently used, which is what volatile-lru keeps.
      if (batch === 39) await new Promise((r) => setTimeout(r, 2_100));
      const features = Array.from({ length: 125 }, (_, i) => `a${batch * 125 + i}`).flatMap((asset) =>
        sensors.map((s) => window(asset, `${asset}.${s}`, start, batch)),
      );
      await putOnline({ online, metrics, log }, features);
    }
    const writes = await metrics.registry.getSingleMetricAsString('mantis_online_store_writes_total');
    expect(writes).toContain('mantis_online_store_writes_total{result="ok"} 40');
    expect(writes).toContain('mantis_online_store_writes_total{result="error"} 0');
    const { used, evicted } = await usedMemory();
    expect(used).toBeLessThanOrEqual(maxmemory);
    expect(evicted).toBeGreaterThan(0);
    // The newest assets are there; the first ones were evicted, and a read of them is a miss, not an error.
    for (const asset of ['a4875', 'a4937', 'a4999'])
      expect(Object.keys(await online.latest(asset)).sort()).toEqual(
        sensors.map((s) => `${asset}.${s}`).sort(),
      );
    expect(Object.keys(await online.latest('a4999')).sort()).toEqual([
      'a4999.current',
      'a4999.pressure',
      'a4999.temp',
      'a4999.vib',
    ]);
    expect(await online.latest('a0')).toEqual({});
  });

  it('counts a write Redis refuses (OOM without eviction) and never throws it to the processor', async () => {
    const inspect = await redis.inspect();
    await inspect.configSet('maxmemory-policy', 'noeviction');
    await inspect.configSet('maxmemory', '1');
    const metrics = createMetrics();
    await expect(online.put([window('oom', 'oom.vib', 0)])).rejects.toThrow(/OOM/);
    await putOnline({ online, metrics, log: createLogger('silent') }, [window('oom', 'oom.vib', 0)]);
    const writes = await metrics.registry.getSingleMetricAsString('mantis_online_store_writes_total');
    expect(writes).toContain('mantis_online_store_writes_total{result="error"} 1');
    await inspect.configSet('maxmemory', String(maxmemory));
    await inspect.configSet('maxmemory-policy', 'volatile-lru');
    inspect.destroy();
  });
});

describe.runIf(redisAvailable && pgAvailable)('the api serves latest features from Redis', () => {
  let redis: OwnedRedis;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: MantisApp;
  let apiOnly: MantisApp;
  const token = 'test-token-0123456789abcdef';
  const start = alignedStart(120);

  beforeAll(async () => {
    redis = await ownedRedis();
    await redis.start();
    database = await createTestDatabase();
    const settings = {
      'database.url': database.url,
      'ingest.token': token,
      'onlineStore.url': redis.url,
      'onlineStore.timeoutMs': 200,
    };
    app = await startApp(settings);
    // The roles apart: an api target of its own, with no processor in its process.
    apiOnly = await startApp(settings, 'api');
    const api = client(app, token);
    const put = await api.request('PUT', '/v1/assets/press-1', {
      siteId: 'plant',
      lineId: 'line-1',
      name: 'Press 1',
      kind: 'press',
      sensors: [
        {
          id: 'press-1.temp',
          kind: 'temperature',
          unit: 'degC',
          sampleRateHz: 1,
          validMin: -50,
          validMax: 200,
        },
      ],
    });
    expect(put.status).toBe(200);
    // One whole window, then two readings (one confirms the other) past its end and the allowed lateness.
    const readings = Array.from({ length: 10 }, (_, i) => ({
      sensorId: 'press-1.temp',
      ts: start + i * 1_000,
      value: 40 + i,
    }));
    readings.push({ sensorId: 'press-1.temp', ts: start + 15_000, value: 50 });
    readings.push({ sensorId: 'press-1.temp', ts: start + 16_000, value: 50 });
    expect((await api.request('POST', '/v1/readings', readings)).status).toBe(202);
  }, 60_000);

  afterAll(async () => {
    await apiOnly?.stop();
    await app?.stop();
    await database?.drop();
    await redis?.kill();
  });

  const reads = async (target: MantisApp) => {
    const text = await (await fetch(`${target.url}/metrics`)).text();
    const value = (result: string) =>
      Number(
        new RegExp(`^mantis_online_store_reads_total\\{result="${result}"\\} (\\S+)`, 'm').exec(text)?.[1],
      );
    return { hit: value('hit'), miss: value('miss'), error: value('error') };
  };

  const latestOf = async (target: MantisApp) => {
    const response = await client(target, token).request('GET', '/v1/assets/press-1');
    expect(response.status).toBe(200);
    return (await bodyOf(response)).latestFeatures as Record<string, WindowFeatures>;
  };

  it('serves the window the processor wrote, from Redis, in the api target too', async () => {
    let latest: Record<string, WindowFeatures> = {};
    for (let i = 0; i < 100 && !latest['press-1.temp']; i++) {
      latest = await latestOf(app);
      if (!latest['press-1.temp']) await new Promise((r) => setTimeout(r, 100));
    }
    expect(latest['press-1.temp']).toMatchObject({ windowStart: start, count: 10, mean: 44.5, max: 49 });
    const before = await reads(apiOnly);
    expect(await latestOf(apiOnly)).toEqual(latest);
    expect(await reads(apiOnly)).toEqual({ ...before, hit: before.hit + 1 });
    const inspect = await redis.inspect();
    expect(JSON.parse((await inspect.hGet('mantis:features:press-1', 'press-1.temp')) ?? '{}')).toEqual(
      latest['press-1.temp'],
    );
    inspect.destroy();
  });

  it('answers from the database while Redis is down, and from Redis again once it is back', async () => {
    const fromRedis = await latestOf(apiOnly);
    await redis.kill();
    const before = await reads(apiOnly);
    const started = performance.now();
    expect(await latestOf(apiOnly)).toEqual(fromRedis);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await reads(apiOnly)).toEqual({ ...before, error: before.error + 1 });
    const ready = await client(apiOnly, token).request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    await redis.start();
    let after = await reads(apiOnly);
    for (let i = 0; i < 100; i++) {
      expect(await latestOf(apiOnly)).toEqual(fromRedis);
      const now = await reads(apiOnly);
      if (now.hit > after.hit) break;
      after = now;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await reads(apiOnly)).hit).toBeGreaterThan(before.hit);
  });
});
