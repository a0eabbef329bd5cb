import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { bodyOf, startApp } from './helpers/app.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';

const postgres = await postgresAvailable();

describe('targets', () => {
  let app: MantisApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it.each([
    ['ingest', ['bus', 'database', 'ingest', 'mqtt'], ['POST', '/v1/readings'], ['GET', '/v1/assets']],
    [
      'process',
      ['bus', 'database', 'models', 'onlineStore', 'process', 'rawStore'],
      null,
      ['GET', '/v1/assets'],
    ],
    [
      'api',
      ['database', 'models', 'onlineStore', 'rawStore'],
      ['GET', '/v1/assets'],
      ['POST', '/v1/readings'],
    ],
    ['etl', ['database', 'etl', 'rawStore'], null, ['GET', '/v1/assets']],
  ] as const)(
    '%s runs its modules, reports them ready and serves only its routes',
    async (target, checked, served, absent) => {
      app = await startApp({}, target);
      const ready = await fetch(`${app.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(Object.keys((await bodyOf(ready)).checks).sort()).toEqual([...checked].sort());
      const auth = { authorization: `Bearer ${app.token}` };
      if (served) {
        const [method, path] = served;
        const body = method === 'POST' ? '[]' : undefined;
        const headers = { ...auth, ...(body && { 'content-type': 'application/json' }) };
        expect((await fetch(`${app.url}${path}`, { method, headers, body })).status).toBeLessThan(404);
      }
      const missing = await fetch(`${app.url}${absent[1]}`, {
        method: absent[0],
        headers: { ...auth, 'content-type': 'application/json' },
        body: absent[0] === 'POST' ? '[]' : undefined,
      });
      expect(missing.status).toBe(404);
      expect((await bodyOf(missing)).error).toBe('not_found');
    },
  );

  it('answers 503 with Retry-After when the bus is full, and publishes nothing of that batch', async () => {
    app = await startApp({ 'bus.capacity': 1 });
    const headers = { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' };
    const asset = (id: string) => ({
      siteId: 's',
      lineId: 'l',
      name: id,
      kind: 'pump',
      sensors: [
        { id: `${id}.t`, kind: 'temperature', unit: '°C', sampleRateHz: 1, validMin: 0, validMax: 100 },
      ],
    });
    for (const id of ['a', 'b']) {
      const put = await fetch(`${app.url}/v1/assets/${id}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify(asset(id)),
      });
      expect(put.status).toBe(200);
    }
    // Two assets make two messages; the bus holds one.
    const now = Date.now();
    const response = await fetch(`${app.url}/v1/readings`, {
      method: 'POST',
      headers,
      body: JSON.stringify([
        { sensorId: 'a.t', ts: now, value: 1 },
        { sensorId: 'b.t', ts: now, value: 2 },
      ]),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await bodyOf(response)).toEqual({
      error: 'unavailable',
      message: 'bus topic mantis.readings.v1 is full',
      dependency: 'bus',
    });
    const accepted = (await app.metrics.ingestItems.get()).values.filter(
      (v) => v.labels.outcome === 'accepted',
    );
    expect(accepted.reduce((sum, v) => sum + v.value, 0)).toBe(0);
  });

  it('refuses an asset whose sensor range is inverted, naming the field', async () => {
    app = await startApp({}, 'api');
    const response = await fetch(`${app.url}/v1/assets/x`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        siteId: 's',
        lineId: 'l',
        name: 'x',
        kind: 'pump',
        sensors: [{ id: 'x.t', kind: 'temperature', unit: 'C', sampleRateHz: 1, validMin: 5, validMax: 1 }],
      }),
    });
    expect(response.status).toBe(422);
    expect(await bodyOf(response)).toMatchObject({ field: 'body.sensors.0.validMax' });
    const missing = await fetch(`${app.url}/v1/assets/x`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ siteId: 's', lineId: 'l', name: 'x', kind: 'pump' }),
    });
    expect(missing.status).toBe(400);
    expect(await bodyOf(missing)).toMatchObject({ field: 'body.sensors' });
  });
});

describe.runIf(postgres.available)('mantis simulate against separate targets', () => {
  it('registers the fleet on the api target (--api-url) and sends readings to the ingest target (--url)', async () => {
    const database = await createTestDatabase();
    const token = 'simulate-token-0123456789abcdef';
    const settings = { 'database.url': database.url, 'ingest.token': token };
    const api = await startApp(settings, 'api');
    const ingest = await startApp(settings, 'ingest');
    try {
      const bin = fileURLToPath(new URL('../bin/mantis.js', import.meta.url));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          bin,
          'simulate',
          '--url',
          ingest.url,
          '--api-url',
          api.url,
          '--token',
          token,
          '--speed',
          '0',
          '--duration',
          '2',
        ],
        { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
      );
      expect(stdout).toMatch(/^simulated 2 s: [1-9]\d* readings accepted, 0 rejected, 0 retries$/m);
      const assets = await fetch(`${api.url}/v1/assets`, { headers: { authorization: `Bearer ${token}` } });
      expect((await bodyOf(assets)).items.map((a: { id: string }) => a.id)).toContain('pump-2');
    } finally {
      await ingest.stop();
      await api.stop();
      await database.drop();
    }
  }, 120_000);
});
