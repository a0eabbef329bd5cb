import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectAsync, type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MantisApp } from '../src/app/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { bodyOf, type Client, client, tempDataDir } from './helpers/app.ts';
import { executableAvailable, freePort } from './helpers/infra.ts';
import { register, storedCount, waitFor } from './helpers/mqtt.ts';

/**
 * A database outage on PostgreSQL stopped and started again (a cluster of the suite's own, never the shared
 * server): ingestion needs only the bus, so it goes on against the sensors and keys it has verified; what
 * needs the database answers 503 with Retry-After naming it; nothing accepted is lost.
 */

const PG_BIN = '/usr/lib/postgresql/15/bin';
const pgCtl = await executableAvailable(`${PG_BIN}/pg_ctl`);
const run = promisify(execFile);

/** A PostgreSQL 15 cluster in a temporary folder, on a free port, that the suite stops and starts. */
class Cluster {
  readonly dir: string;
  readonly port: number;
  // PostgreSQL refuses to run as root: the cluster belongs to the postgres user then.
  private readonly asRoot = process.getuid?.() === 0;

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
  }

  static async create(): Promise<Cluster> {
    const cluster = new Cluster(mkdtempSync(join(tmpdir(), 'mantis-outage-')), await freePort());
    if (cluster.asRoot) await run('chown', ['postgres:postgres', cluster.dir]);
    await cluster.pg('initdb', [
      '-D',
      cluster.dir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private pg(tool: string, args: string[]) {
    const command = `${PG_BIN}/${tool}`;
    return this.asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.pg('pg_ctl', [
      '-D',
      this.dir,
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** A fast shutdown: open sessions are ended, as in a restart or a failover. */
  async stop(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dir, '-m', 'fast', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const UNREADABLE = 'sensor registry unreadable: ingesting against the sensors loaded before';
const READABLE = 'sensor registry readable again: sensors reloaded';

/** The sensor directory reloads everything when it is older than this (src/ingest/sensors.ts). */
const FULL_RELOAD_MS = 30_000;
const KEY_CACHE_SECONDS = 20;

const reading = (sensorId: string, i: number) => ({ sensorId, ts: Date.now() - 60_000 + i, value: 20 + i });

describe.runIf(pgCtl.available)('a database outage, on PostgreSQL stopped and restarted', () => {
  let cluster: Cluster;
  let app: MantisApp;
  let admin: Client;
  let device: Client;
  let deviceToken: string;
  let gateway: MqttClient;
  /** The ingest and api targets on their own, against the same database. */
  const separate: MantisApp[] = [];
  /** Each instance's readiness: HTTP status and the database check's detail. */
  const readiness = async () =>
    Promise.all(
      [app, ...separate].map(async (a) => {
        const response = await fetch(`${a.url}/health/ready`);
        const { checks } = await bodyOf(response);
        return [response.status, checks.database.ok, checks.database.detail ?? ''];
      }),
    );
  /** Readings accepted (202) per sensor, to be found stored after the outage. */
  const accepted = new Map<string, number>();
  /** What the instance logs, line by line. */
  const logged: { level: number; msg: string; bytes: number; [field: string]: unknown }[] = [];
  const lines = (msg: string) => logged.filter((l) => l.msg === msg);

  const post = async (api: Client, items: unknown[]) => {
    const response = await api.request('POST', '/v1/readings', items);
    const body = await bodyOf(response);
    if (response.status === 202)
      for (const [i, item] of (items as { sensorId: string }[]).entries())
        if (!body.rejected.some((r: { index: number }) => r.index === i))
          accepted.set(item.sensorId, (accepted.get(item.sensorId) ?? 0) + 1);
    return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
  };
  const reads = [
    '/v1/assets',
    '/v1/assets/oven-1',
    '/v1/alerts',
    '/v1/work-orders',
    '/v1/kpis?asset=oven-1',
    '/v1/kpis/daily?asset=oven-1',
    '/v1/assets/oven-1/features?sensor=oven-1.temp',
  ];

  beforeAll(async () => {
    cluster = await Cluster.create();
    await cluster.start();
    const config = loadConfig({
      env: {},
      overrides: {
        dataDir: tempDataDir(),
        'http.port': 0,
        'mqtt.port': 0,
        'database.url': cluster.url,
        'ingest.token': 'outage-token-0123456789abcdef',
        'http.keyCacheSeconds': KEY_CACHE_SECONDS,
      },
    });
    const log = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          logged.push({ ...JSON.parse(line), bytes: line.length });
        },
      },
    );
    app = await MantisApp.start(config, { log });
    for (const target of ['ingest', 'api'] as const)
      separate.push(
        await MantisApp.start(
          { ...config, dataDir: tempDataDir() },
          { log: pino({ level: 'silent' }), target },
        ),
      );
    admin = client(app);
    await register(app, 'bakery', 'oven-1');
    await register(app, 'bakery', 'oven-2');
    const key = await admin.request('POST', '/v1/keys', { name: 'gateway', role: 'device', site: 'bakery' });
    expect(key.status).toBe(201);
    deviceToken = (await bodyOf(key)).token;
    device = client(app, deviceToken);
    gateway = await connectAsync(`mqtt://127.0.0.1:${app.services.mqttPort}`, {
      username: 'gateway',
      password: deviceToken,
      clientId: 'outage-gateway',
      clean: false,
      reconnectPeriod: 0,
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.endAsync();
    for (const a of separate) await a.stop();
    await app?.stop();
    await cluster?.destroy();
  });

  it('ingests and serves reads before the outage', async () => {
    const before = await post(device, [reading('oven-1.temp', 0), reading('oven-2.temp', 0)]);
    expect([before.status, before.body.accepted]).toEqual([202, 2]);
    for (const path of reads) expect((await admin.request('GET', path)).status, path).toBe(200);
  });

  it('keeps ingesting with the sensors and keys it has verified, and answers 503 naming the database for the rest', async () => {
    // The device key was verified just now (cached for KEY_CACHE_SECONDS); the directory is loaded afresh.
    expect((await post(device, [reading('oven-1.temp', 1)])).status).toBe(202);
    await app.services.sensors?.load();
    const stopped = Date.now();
    await cluster.stop();

    for (const path of reads) {
      const response = await admin.request('GET', path);
      expect([response.status, response.headers.get('retry-after')], path).toEqual([503, '5']);
      expect(await bodyOf(response), path).toMatchObject({
        error: 'unavailable',
        dependency: 'database',
        message: expect.stringMatching(/^database unavailable/),
      });
    }
    const write = await admin.request('POST', '/v1/sites', { id: 'annex', name: 'Annex' });
    expect([write.status, (await bodyOf(write)).dependency]).toEqual([503, 'database']);

    // Readiness: the ingest and api targets stay in their Service, saying the database is unreachable; the all
    // target (it stores, as process does) is not ready.
    expect(await readiness()).toEqual([
      [503, false, expect.stringMatching(/ECONNREFUSED|connect|terminat/i)],
      [200, true, expect.stringMatching(/^unreachable \(.+\); answering 503 where needed$/)],
      [200, true, expect.stringMatching(/^unreachable \(.+\); answering 503 where needed$/)],
    ]);

    // Within the key's cache time, over HTTP and MQTT; an unknown sensor is refused on its own.
    const during = await post(device, [
      reading('oven-1.temp', 2),
      reading('oven-2.temp', 2),
      reading('nowhere.temp', 2),
    ]);
    expect([during.status, during.body.accepted, during.body.rejected]).toEqual([
      202,
      2,
      [{ index: 2, field: 'sensorId', reason: 'unknown sensor "nowhere.temp"' }],
    ]);
    await gateway.publishAsync(
      'mantis/bakery/oven-2/oven-2.temp',
      JSON.stringify({ ts: Date.now() - 30_000, value: 99 }),
      { qos: 1 },
    );
    accepted.set('oven-2.temp', (accepted.get('oven-2.temp') ?? 0) + 1);

    // Past the key's cache time, a key needs the database; the configured token does not.
    await new Promise((r) =>
      setTimeout(r, Math.max(0, stopped + KEY_CACHE_SECONDS * 1000 + 500 - Date.now())),
    );
    const expired = await post(device, [reading('oven-1.temp', 3)]);
    expect([expired.status, expired.retryAfter, expired.body.dependency]).toEqual([503, '5', 'database']);

    // Past the directory's full reload, which fails: ingestion goes on from the sensors loaded before.
    await new Promise((r) => setTimeout(r, Math.max(0, stopped + FULL_RELOAD_MS + 1000 - Date.now())));
    for (let i = 4; i < 8; i++) {
      const late = await post(admin, [reading('oven-1.temp', i), reading('oven-2.temp', i)]);
      expect([late.status, late.body.accepted], `request ${i}`).toEqual([202, 2]);
      await new Promise((r) => setTimeout(r, 600));
    }
    expect((await admin.request('GET', '/v1/assets')).status).toBe(503);

    // One line when the registry is lost, however often it is tried meanwhile (an unknown id: once a second).
    for (let i = 0; i < 3; i++) {
      expect((await post(admin, [reading('nowhere.temp', i)])).status).toBe(422);
      await new Promise((r) => setTimeout(r, 1100));
    }
    expect(lines(UNREADABLE)).toEqual([
      expect.objectContaining({
        level: 40,
        component: 'ingest',
        kind: 'transient',
        code: 'ECONNREFUSED',
        sensors: 2,
      }),
    ]);
    // The processor waits the outage out with one short line per attempt, never the whole error each time.
    const retries = lines('storage write failed; retrying');
    expect(retries.length).toBeGreaterThan(0);
    for (const line of retries) {
      expect(line).toMatchObject({
        kind: 'transient',
        error: expect.any(String),
        attempt: expect.any(Number),
      });
      expect(line.err).toBeUndefined();
      expect(line.bytes).toBeLessThan(400);
    }
  }, 120_000);

  it('stores every reading accepted during the outage once the database is back, and serves reads again', async () => {
    await cluster.start();
    await waitFor(
      'reads to be served again',
      async () => (await admin.request('GET', '/v1/assets')).status === 200,
      60_000,
    );
    for (const path of reads) expect((await admin.request('GET', path)).status, path).toBe(200);
    await waitFor('every instance ready again', async () =>
      (await readiness()).every(
        ([status, ok, detail]) => status === 200 && ok && /^postgres, schema/.test(String(detail)),
      ),
    );
    expect(accepted.get('oven-1.temp')).toBe(7);
    expect(accepted.get('oven-2.temp')).toBe(7);
    for (const [sensorId, n] of accepted)
      await waitFor(
        `${n} readings of ${sensorId} stored`,
        async () => (await storedCount(app, sensorId)) === n,
        60_000,
      );
    expect((await post(device, [reading('oven-1.temp', 9)])).status).toBe(202);

    // The next reload finds the registry again, and says so once.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post(admin, [reading('nowhere.temp', 9)])).status).toBe(422);
    await waitFor('the registry to be read again', async () => lines(READABLE).length > 0, 10_000);
    expect(logged.filter((l) => l.component === 'ingest').map((l) => [l.level, l.msg])).toEqual([
      [40, UNREADABLE],
      [30, READABLE],
    ]);
  }, 120_000);
});
