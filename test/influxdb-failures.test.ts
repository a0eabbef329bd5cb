import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandlerFor } from '../src/api/errors.ts';
import { influxSetup } from '../src/cli/influx.ts';
import { influxRawStore } from '../src/storage/influxdb/raw-store.ts';
import { type InfluxServer, influxdAvailable, startInfluxServer } from './helpers/influxdb.ts';
import { freePort } from './helpers/infra.ts';

const availability = await influxdAvailable();
const assetOf = async (ids: string[]) => new Map(ids.map((id) => [id, `asset-of-${id}`]));
const BIN = fileURLToPath(new URL('../bin/mantis.js', import.meta.url));
const v1 = (server: InfluxServer, path: string) => `${server.url.replace('http', 'influxdb')}/${path}`;

/** `mantis influx setup …` as a user runs it: exit code, stdout, stderr. */
function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'influx', 'setup', ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

async function databases(server: InfluxServer): Promise<unknown[]> {
  return (await server.query('SHOW DATABASES')).results[0].series?.[0]?.values?.flat() ?? [];
}

describe.skipIf(!availability.available)('InfluxDB raw store failures on InfluxDB 1.8.3', () => {
  let server: InfluxServer;
  let authed: InfluxServer;
  beforeAll(async () => {
    [server, authed] = await Promise.all([startInfluxServer(), startInfluxServer({ auth: true })]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([server?.remove(), authed?.remove()]);
  });

  it('the probe fails naming a missing database, retention policy or bucket and refused credentials', async () => {
    const probe = (url: string, env: Record<string, string> = {}) =>
      influxRawStore(url, { assetOf, env }).ping();
    await expect(probe(v1(server, 'probed'))).rejects.toThrow(
      'the raw store (InfluxDB): database probed not found — run `mantis influx setup`',
    );
    await server.query('CREATE DATABASE probed');
    await expect(probe(v1(server, 'probed'))).resolves.toMatch(/^InfluxDB \S+ at /);
    await expect(probe(v1(server, 'probed?rp=raw'))).rejects.toThrow(
      'retention policy raw not found on database probed — run `mantis influx setup`',
    );
    await server.query('DROP DATABASE probed');
    await expect(probe(v1(server, 'probed'))).rejects.toThrow('database probed not found');
    const v2 = `${server.url.replace('http', 'influxdb2')}?org=o&bucket=nowhere/raw`;
    await expect(probe(v2)).rejects.toThrow('the raw store (InfluxDB): bucket nowhere/raw not found');

    await authed.query('CREATE DATABASE secured');
    const { user, password } = authed.admin ?? { user: '', password: '' };
    await expect(
      probe(v1(authed, 'secured'), { INFLUX_USERNAME: user, INFLUX_PASSWORD: password }),
    ).resolves.toMatch(/^InfluxDB/);
    await expect(
      probe(v1(authed, 'secured'), { INFLUX_USERNAME: user, INFLUX_PASSWORD: 'wrong' }),
    ).rejects.toThrow('the raw store (InfluxDB) refused the credentials: HTTP 401');
    const v2Secured = `${authed.url.replace('http', 'influxdb2')}?org=o&bucket=secured`;
    await expect(probe(v2Secured, { INFLUX_TOKEN: `${user}:${password}` })).resolves.toMatch(/^InfluxDB/);
    await expect(probe(v2Secured, { INFLUX_TOKEN: `${user}:wrong` })).rejects.toThrow('HTTP 401');
  });

  it('the probe gives up within 2 s on an InfluxDB that accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const hung = createServer((socket) => sockets.push(socket));
    const port = await freePort();
    hung.listen(port, '127.0.0.1');
    await once(hung, 'listening');
    const store = influxRawStore(`influxdb://127.0.0.1:${port}/mantis`, { assetOf });
    expect(store.target.timeoutMs).toBe(10_000);
    const started = Date.now();
    await expect(store.ping()).rejects.toThrow('the raw store (InfluxDB) is unreachable');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(3000);
    for (const s of sockets) s.destroy();
    hung.close();
  });

  it('reads InfluxDB refuses or cannot answer are 503 naming the raw store and the reason', async () => {
    const { user } = authed.admin ?? { user: '' };
    await authed.query('CREATE DATABASE readable');
    const closed = await freePort();
    const stores = {
      missing: influxRawStore(v1(server, 'absent'), { assetOf }),
      password: influxRawStore(v1(authed, 'readable'), {
        assetOf,
        env: { INFLUX_USERNAME: user, INFLUX_PASSWORD: 'wrong' },
      }),
      token: influxRawStore(`${authed.url.replace('http', 'influxdb2')}?org=o&bucket=readable`, {
        assetOf,
        env: { INFLUX_TOKEN: `${user}:wrong` },
      }),
      down: influxRawStore(`influxdb://127.0.0.1:${closed}/mantis`, { assetOf }),
    };
    const app = Fastify();
    app.setErrorHandler(errorHandlerFor({ classify: () => null }));
    app.get<{ Params: { store: keyof typeof stores; what: string } }>('/:store/:what', async (request) => {
      const store = stores[request.params.store];
      return request.params.what === 'signal'
        ? store.readSignal('s-1', 0, 60_000, 10)
        : store.readReadings(0, 60_000, 10);
    });
    const expected = {
      missing: ['the raw store (InfluxDB): database absent not found — run `mantis influx setup`', '30'],
      password: ['the raw store (InfluxDB) refused the credentials: HTTP 401', '30'],
      token: ['the raw store (InfluxDB) refused the credentials: HTTP 401', '30'],
      down: ['the raw store (InfluxDB) is unreachable: fetch failed (ECONNREFUSED)', '5'],
    };
    for (const [name, [message, retryAfter]] of Object.entries(expected)) {
      for (const what of ['signal', 'readings']) {
        const response = await app.inject(`/${name}/${what}`);
        expect(response.statusCode, `${name} ${what}`).toBe(503);
        expect(response.headers['retry-after']).toBe(retryAfter);
        const body = response.json();
        expect(body).toMatchObject({ error: 'unavailable', dependency: 'rawStore' });
        expect(body.message).toContain(message);
      }
    }
    await app.close();
  });

  it('mantis influx setup: bad flags or URLs exit 2, server refusals exit 1, one line each, nothing created', async () => {
    const url = v1(server, 'cli');
    const { user } = authed.admin ?? { user: '' };
    const cases: [string[], number, string, Record<string, string>?][] = [
      [
        ['--url', url, '--raw-days', '-3'],
        2,
        '--raw-days: must be a whole number from 0 to 106751, got "-3"',
      ],
      [
        ['--url', url, '--raw-days', 'abc'],
        2,
        '--raw-days: must be a whole number from 0 to 106751, got "abc"',
      ],
      [
        ['--url', url, '--raw-days', '1e9'],
        2,
        '--raw-days: must be a whole number from 0 to 106751, got "1e9"',
      ],
      [
        ['--url', url, '--long-term-days', '106752'],
        2,
        '--long-term-days: must be a whole number from 0 to 106751',
      ],
      [
        ['--url', url, '--look-back-minutes', '0'],
        2,
        '--look-back-minutes: must be a whole number from 1 to 10080',
      ],
      [['--url', v1(server, '')], 2, 'raw store URL: the database is missing'],
      [['--url', url.replace('//', '//u:pw@')], 2, 'raw store URL: credentials belong in INFLUX_USERNAME'],
      [['--url', v1(server, 'a%0Ab')], 2, 'database: must not contain control characters, got "a\\nb"'],
      [
        ['--url', url, '--long-term', 'raw'],
        2,
        'longTermName: must differ from the raw retention policy raw',
      ],
      [
        ['--url', `${url}?rp=long_term`],
        2,
        'longTermName: must differ from the raw retention policy long_term',
      ],
      [
        ['--url', `influxdb://127.0.0.1:${await freePort()}/cli`],
        1,
        'the raw store (InfluxDB) is unreachable: fetch failed (ECONNREFUSED)',
      ],
      [
        ['--url', v1(authed, 'cli')],
        1,
        'refused the credentials: HTTP 401',
        { INFLUX_USERNAME: user, INFLUX_PASSWORD: 'wrong' },
      ],
      [
        ['--url', `${server.url.replace('http', 'influxdb2')}?org=o&bucket=cli`],
        1,
        'HTTP 404: the server has no InfluxDB 2 API',
      ],
    ];
    const results = await Promise.all(cases.map(([args, , , env]) => cli(args, env)));
    results.forEach((result, i) => {
      const [args, code, message] = cases[i];
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr.startsWith('mantis influx setup: ')).toBe(true);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stdout).toBe('');
    });
    expect(await databases(server)).not.toContain('cli');
    expect(await databases(server)).not.toContain('a\nb');
    expect(await databases(authed)).not.toContain('cli');
  }, 60_000);

  it('sets up a database made by hand without continuous queries (InfluxDB leaves their values out)', async () => {
    await server.query('CREATE DATABASE bare');
    // Reads of empty series too: no readings and no block for a sensor the database never saw.
    const store = influxRawStore(v1(server, 'bare'), { assetOf });
    expect(await store.readSignal('none', 0, Date.now(), 10)).toEqual({ readings: [], block: null });
    expect(await store.readReadings(0, Date.now(), 10)).toEqual([]);
    await store.close();
    const out: string[] = [];
    await influxSetup(v1(server, 'bare?rp=raw'), { rawDays: 1, longTermDays: 30 }, (l) => out.push(l));
    expect(out.filter((l) => l.startsWith('run: CREATE CONTINUOUS QUERY'))).toHaveLength(2);
    expect(await influxSetup(v1(server, 'bare?rp=raw'), { rawDays: 1, longTermDays: 30 }, () => {})).toBe(0);
    const cqs = await server.query('SHOW CONTINUOUS QUERIES');
    expect(cqs.results[0].series?.find((s) => s.name === 'bare')?.values).toHaveLength(2);
  });

  it('continuous queries aggregate the last hour again: a point five minutes late reaches its minute', async () => {
    const url = v1(server, 'late?rp=raw');
    await server.query('CREATE DATABASE late');
    // A continuous query as made without a look-back is replaced.
    await server.query(
      'CREATE CONTINUOUS QUERY "readings_1m" ON "late" BEGIN SELECT mean("value") AS "mean" INTO "late"."autogen"."readings_1m" FROM "late"."autogen"."readings" GROUP BY time(1m), * END',
    );
    const out: string[] = [];
    await influxSetup(url, { rawDays: 1, longTermDays: 30 }, (l) => out.push(l));
    expect(out).toContain('run: DROP CONTINUOUS QUERY "readings_1m" ON "late"');
    const cqs = await server.query('SHOW CONTINUOUS QUERIES');
    const late = cqs.results[0].series?.find((s) => s.name === 'late');
    for (const [, query] of late?.values ?? [])
      expect(String(query)).toContain('RESAMPLE EVERY 1m FOR 1h BEGIN');
    expect(await influxSetup(url, { rawDays: 1, longTermDays: 30 }, () => {})).toBe(0);
    expect(await influxSetup(url, { rawDays: 1, longTermDays: 30, lookBackMinutes: 90 }, () => {})).toBe(4);
    expect(await influxSetup(url, { rawDays: 1, longTermDays: 30, lookBackMinutes: 90 }, () => {})).toBe(0);

    const store = influxRawStore(`${url}&flushMs=5`, { assetOf });
    const minute = Math.floor((Date.now() - 300_000) / 60_000) * 60_000;
    const scalars = [1, 2, 6].map((value, i) => ({
      sensorId: 'late-1',
      ts: minute + 10_000 * (i + 1),
      value,
    }));
    await store.write({ scalars, blocks: [] });
    await store.close();
    // The next run (at the next whole minute) aggregates the last 90 minutes, this one among them.
    const deadline = Date.now() + 90_000;
    let rows: unknown[][] = [];
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const result = await server.query(
        'SELECT "mean", "min", "max", "count" FROM "late"."long_term"."readings_1m"',
        undefined,
        { epoch: 'ms' },
      );
      rows = result.results[0].series?.[0].values ?? [];
    }
    expect(rows).toEqual([[minute, 3, 1, 6, 3]]);
  }, 120_000);
});
