import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influxSetup } from '../src/cli/influx.ts';
import { encodePoint } from '../src/storage/influxdb/line-protocol.ts';
import { type InfluxRawStore, influxRawStore } from '../src/storage/influxdb/raw-store.ts';
import { parseInfluxUrl } from '../src/storage/influxdb/url.ts';
import { InfluxWriter } from '../src/storage/influxdb/writer.ts';
import { type InfluxServer, influxdAvailable, startInfluxServer } from './helpers/influxdb.ts';

const availability = await influxdAvailable();
const T0 = Date.UTC(2030, 0, 1);
const assetOf = async (ids: string[]) => new Map(ids.map((id) => [id, `asset-of-${id}`]));

/** Every point of a measurement with its tags, times as nanoseconds in text (exact). */
async function points(server: InfluxServer, db: string, measurement: string) {
  const result = await server.query(`SELECT * FROM "${measurement}" GROUP BY *`, db, { epoch: 'ns' });
  return (result.results[0].series ?? []).map((s) => ({ tags: s.tags, count: s.values.length }));
}

describe.skipIf(!availability.available)('InfluxDB raw store on InfluxDB 1.8.3', () => {
  let server: InfluxServer;
  let authed: InfluxServer;
  beforeAll(async () => {
    [server, authed] = await Promise.all([startInfluxServer(), startInfluxServer({ auth: true })]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([server?.remove(), authed?.remove()]);
  });

  it('readings written through v1 read back exactly: values, tags, timestamps to the nanosecond', async () => {
    await server.query('CREATE DATABASE v1exact');
    const store = influxRawStore(`${server.url.replace('http', 'influxdb')}/v1exact?flushMs=5`, { assetOf });
    const scalars = [
      { sensorId: 's-1', ts: T0, value: 1.5 },
      { sensorId: 's-1', ts: T0 + 0.001, value: -2 },
      { sensorId: 's-2', ts: T0 + 1000.123, value: 1e-300 },
      { sensorId: 's-2', ts: T0 + 2000, value: 123456789.125 },
    ];
    const block = { sensorId: 'vib-1', ts: T0 + 5000, rateHz: 12_800, values: [0.25, -0.5, 0.75, 1] };
    await store.write({ scalars, blocks: [block] });
    // Raw text of the answer: JSON numbers would round nanoseconds.
    const body = new URLSearchParams({ q: 'SELECT * FROM readings', db: 'v1exact', epoch: 'ns' });
    const text = await (await fetch(`${server.url}/query`, { method: 'POST', body })).text();
    expect(text).toContain(`[${BigInt(T0) * 1_000_000n},"asset-of-s-1","s-1",1.5]`);
    expect(text).toContain(`[${BigInt(T0) * 1_000_000n + 1000n},"asset-of-s-1","s-1",-2]`);
    expect(text).toContain(`[${BigInt(T0 + 1000) * 1_000_000n + 123_000n},"asset-of-s-2","s-2",1e-300]`);
    expect(text).toContain(`,"asset-of-s-2","s-2",123456789.125]`);
    const samples = new URLSearchParams({ q: 'SELECT value FROM samples', db: 'v1exact', epoch: 'ns' });
    const sampleText = await (await fetch(`${server.url}/query`, { method: 'POST', body: samples })).text();
    const start = BigInt(T0 + 5000) * 1_000_000n;
    expect(sampleText).toContain(
      `"values":[[${start},0.25],[${start + 78_125n},-0.5],[${start + 156_250n},0.75],[${start + 234_375n},1]]`,
    );

    const signal = await store.readSignal('s-1', T0, T0 + 10_000, 100);
    expect(signal.readings).toEqual([
      { ts: T0, value: 1.5 },
      { ts: T0 + 0.001, value: -2 },
    ]);
    expect((await store.readSignal('vib-1', T0, T0 + 10_000, 100)).block).toEqual({
      ts: T0 + 5000,
      rateHz: 12_800,
      values: [0.25, -0.5, 0.75, 1],
    });
    expect(await store.readReadings(T0, T0 + 10_000, 3)).toEqual(scalars.slice(0, 3));
    // A replay overwrites: still one point per instant.
    await store.write({ scalars, blocks: [block] });
    expect(await points(server, 'v1exact', 'readings')).toEqual([
      { tags: { asset: 'asset-of-s-1', sensor: 's-1' }, count: 2 },
      { tags: { asset: 'asset-of-s-2', sensor: 's-2' }, count: 2 },
    ]);
    await store.close();
  });

  it('writes through the v2 compatibility API (bucket db/rp, Token user:password) and reads with Flux', async () => {
    await authed.query('CREATE DATABASE v2compat');
    await authed.query('CREATE RETENTION POLICY "raw" ON "v2compat" DURATION 0s REPLICATION 1');
    const { user, password } = authed.admin ?? { user: '', password: '' };
    const url = `${authed.url.replace('http', 'influxdb2')}?org=mantis&bucket=v2compat/raw&flushMs=5`;
    const env = { INFLUX_TOKEN: `${user}:${password}` };
    const store = influxRawStore(url, { assetOf, env });
    const scalars = [
      { sensorId: 's-9', ts: T0 + 1, value: 7.25 },
      { sensorId: 's-8', ts: T0 + 1, value: 8 },
      { sensorId: 's-9', ts: T0 + 2.5, value: -1 },
    ];
    const block = { sensorId: 'vib-9', ts: T0 + 3, rateHz: 3, values: [1, 2, 3] };
    await store.write({ scalars, blocks: [block] });
    const result = await authed.query(
      'SELECT value FROM "v2compat"."raw"."readings" WHERE sensor = \'s-9\'',
      'v2compat',
      {
        epoch: 'ns',
      },
    );
    expect(result.results[0].series?.[0].values.length).toBe(2);
    expect((await store.readSignal('s-9', T0, T0 + 10, 10)).readings).toEqual([
      { ts: T0 + 1, value: 7.25 },
      { ts: T0 + 2.5, value: -1 },
    ]);
    expect((await store.readSignal('vib-9', T0, T0 + 10, 10)).block).toEqual({
      ts: T0 + 3,
      rateHz: 3,
      values: [1, 2, 3],
    });
    expect(await store.readReadings(T0, T0 + 10, 10)).toEqual([scalars[1], scalars[0], scalars[2]]);
    // Without the token: refused for the operator to fix (a store failure), not retried forever here.
    const anonymous = influxRawStore(url, { assetOf, env: {} });
    await expect(anonymous.write({ scalars, blocks: [] })).rejects.toMatchObject({
      failure: { kind: 'store', code: 'HTTP_401' },
    });
    await Promise.all([store.close(), anonymous.close()]);
  });

  it('property: awkward measurement, tag and field names round-trip through a real server', async () => {
    await server.query('CREATE DATABASE awkward');
    const writer = new InfluxWriter(
      parseInfluxUrl(`${server.url.replace('http', 'influxdb')}/awkward?flushMs=5`),
    );
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ['a', 'Z', '0', ' ', ',', '=', '"', '\\', 'é', '漢', '🙂', "'", '-', '.', '\t'];
    const name = () =>
      `${'kmx'[Math.floor(random() * 3)]}${Array.from({ length: 1 + Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')}`;
    const expected: { measurement: string; tag: string; value: string; field: string }[] = [];
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      const p = { measurement: `m${name()}`, tag: `t${name()}`, value: name(), field: `f${name()}` };
      try {
        lines.push(
          encodePoint({
            measurement: p.measurement,
            tags: { [p.tag]: p.value },
            fields: { [p.field]: i },
            timeNs: BigInt(i),
          }),
        );
        expected.push(p);
      } catch {
        // refused names are the unit test's concern
      }
    }
    await writer.write(lines);
    await writer.close();
    const measurements = await server.query('SHOW MEASUREMENTS', 'awkward');
    const stored = new Set(measurements.results[0].series?.[0].values.map(([m]) => m));
    expect(expected.length).toBeGreaterThan(150);
    expect(expected.map((p) => p.measurement).filter((m) => !stored.has(m))).toEqual([]);
    const fieldKeys = await server.query('SHOW FIELD KEYS', 'awkward');
    const fields = new Set(
      (fieldKeys.results[0].series ?? []).flatMap((s) => s.values.map(([f]) => `${s.name}/${f}`)),
    );
    for (const p of expected) expect(fields.has(`${p.measurement}/${p.field}`)).toBe(true);
    const tagValues = await server.query('SHOW TAG KEYS', 'awkward');
    const tags = new Set(
      (tagValues.results[0].series ?? []).flatMap((s) => s.values.map(([k]) => `${s.name}/${k}`)),
    );
    for (const p of expected) expect(tags.has(`${p.measurement}/${p.tag}`)).toBe(true);
    const series = await server.query('SHOW SERIES', 'awkward');
    const keys = series.results[0].series?.[0].values.map(([k]) => k) ?? [];
    // One series per distinct measurement, tag and tag value: none merged, none split.
    expect(keys.length).toBe(
      new Set(expected.map((p) => `${p.measurement}\u0000${p.tag}\u0000${p.value}`)).size,
    );
  });

  it('setup makes retention policies and continuous queries; run twice changes nothing', async () => {
    const url = `${server.url.replace('http', 'influxdb')}/plant?rp=raw`;
    const out: string[] = [];
    const options = { rawDays: 30, longTermDays: 730 };
    expect(await influxSetup(url, { ...options, dryRun: true }, (l) => out.push(l))).toBe(5);
    expect((await server.query('SHOW DATABASES')).results[0].series?.[0].values.flat()).not.toContain(
      'plant',
    );
    expect(await influxSetup(url, options, (l) => out.push(l))).toBe(5);
    const policies = await server.query('SHOW RETENTION POLICIES ON plant');
    expect(policies.results[0].series?.[0].values).toEqual(
      expect.arrayContaining([
        ['raw', '720h0m0s', expect.any(String), 1, true],
        ['long_term', '17520h0m0s', expect.any(String), 1, false],
      ]),
    );
    const cqs = await server.query('SHOW CONTINUOUS QUERIES');
    const plant = cqs.results[0].series?.find((s) => s.name === 'plant');
    expect(plant?.values.map(([name]) => name).sort()).toEqual(['readings_1m', 'samples_1m']);
    expect(String(plant?.values[0][1])).toMatch(
      /INTO plant\.long_term\.\w+_1m FROM plant\.raw\.\w+ GROUP BY time\(1m\), \*/,
    );
    out.length = 0;
    expect(await influxSetup(url, options, (l) => out.push(l))).toBe(0);
    expect(out.at(-1)).toBe('InfluxDB is set up; nothing to change');
    // A changed retention is altered in place.
    expect(await influxSetup(url, { ...options, rawDays: 7 }, () => {})).toBe(1);
    const altered = await server.query('SHOW RETENTION POLICIES ON plant');
    expect(altered.results[0].series?.[0].values).toEqual(
      expect.arrayContaining([['raw', '168h0m0s', expect.any(String), 1, true]]),
    );
  });

  it('InfluxDB down mid-write: the write waits, retries, and completes once it is back; nothing doubles', async () => {
    await server.query('CREATE DATABASE outage');
    const store: InfluxRawStore = influxRawStore(
      `${server.url.replace('http', 'influxdb')}/outage?flushMs=5&retryMs=60000`,
      { assetOf },
    );
    const scalars = (from: number) =>
      Array.from({ length: 100 }, (_, i) => ({ sensorId: `s-${i % 4}`, ts: T0 + from + i, value: i }));
    await store.write({ scalars: scalars(0), blocks: [] });
    await server.kill();
    const pending = store.write({ scalars: scalars(100), blocks: [] });
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(settled).toBe(false);
    expect(store.bufferedPoints()).toBe(100);
    await server.start();
    await pending;
    expect(store.bufferedPoints()).toBe(0);
    await store.write({ scalars: scalars(100), blocks: [] }); // a replay of the same batch
    const counts = await points(server, 'outage', 'readings');
    expect(counts.map((c) => c.count)).toEqual([50, 50, 50, 50]);
    await store.close();
  }, 90_000);
});
