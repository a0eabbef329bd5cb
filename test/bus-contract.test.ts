import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUS_SCHEMAS_DIR, busSchemaFiles } from '../scripts/gen-bus-schemas.ts';
import type { MantisApp } from '../src/app/app.ts';
import { decodeEnvelope, encodeJson, INGESTED_AT_HEADER } from '../src/bus/codec.ts';
import { busContract, readingsMessageSchema } from '../src/bus/contract.ts';
import { KafkaBus } from '../src/bus/kafka.ts';
import { type BusRecord, topics } from '../src/bus/port.ts';
import { configSchema } from '../src/config/schema.ts';
import { runSimulator } from '../src/simulator/driver.ts';
import { alignedStart, bodyOf, client, startApp } from './helpers/app.ts';
import { kafkaAvailable, kafkaBroker, uniqueSuffix } from './helpers/infra.ts';

/** The id of an alert published as a warning, then again as critical. */
function escalated(alerts: { id: string; severity: string }[]): string | undefined {
  return alerts.find(
    (a) => a.severity === 'warning' && alerts.some((b) => b.id === a.id && b.severity === 'critical'),
  )?.id;
}

/** A copy of a schema where every object is closed: a field MANTIS sends but the contract omits fails. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'item' ? v : closed(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

function validator(schema: unknown): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema as object);
}

describe('the bus contract', () => {
  it('is published in docs/bus as npm run bus-schemas writes it', () => {
    for (const { file, text } of busSchemaFiles()) {
      expect(readFileSync(join(BUS_SCHEMAS_DIR, file), 'utf8'), `docs/bus/${file} is stale`).toBe(text);
    }
  });

  it('names every topic MANTIS has, and the documentation describes each one', () => {
    expect(busContract.map((t) => t.topic).sort()).toEqual(Object.values(topics).sort());
    const doc = readFileSync(join(import.meta.dirname, '../docs/bus-contract.md'), 'utf8');
    for (const t of busContract) {
      // The topics table's row: topic, key, schema…; its key cell names what the contract keys by.
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${t.topic}\` |`));
      expect(row, `${t.topic} in the topics table`).toBeDefined();
      const keyCell = row?.split(' | ')[1] ?? '';
      expect(keyCell, `${t.topic}'s key`).toContain(t.key.split(/[:,]/)[0]);
      expect(doc).toContain(`bus/${t.topic}.schema.json`);
      for (const h of t.headers) expect(doc).toContain(`\`${h.name}\``);
    }
  });

  // The processor takes what the schema describes, and refuses nothing the schema allows.
  const readings = validator(readingsMessageSchema);
  const scalar = { sensorId: 'pump-1.temp', ts: 1_700_000_000_000.5, value: 61.5 };
  const block = { sensorId: 'pump-1.vib', ts: 1_700_000_000_000, rateHz: 5120, values: [0.1, -0.2] };
  it.each([
    ['a scalar reading', { assetId: 'pump-1', siteId: 'plant-1', readings: [scalar] }],
    ['a sample block', { assetId: 'pump-1', siteId: 'plant-1', readings: [block] }],
    ['both, with a field added later', { assetId: 'a', siteId: 's', readings: [scalar, block], v: 2 }],
  ])('a readings message with %s is valid and decodes', (_, message) => {
    expect(readings(message), JSON.stringify(readings.errors)).toBe(true);
    expect(decodeEnvelope(encodeJson(message))).toEqual(message);
  });

  it.each([
    ['no assetId', { siteId: 's', readings: [scalar] }],
    ['no readings', { assetId: 'a', siteId: 's' }],
    ['a reading that is not an object', { assetId: 'a', siteId: 's', readings: [null] }],
    ['a reading without sensorId', { assetId: 'a', siteId: 's', readings: [{ ts: 1, value: 1 }] }],
    ['a time as text', { assetId: 'a', siteId: 's', readings: [{ ...scalar, ts: '2026-01-01' }] }],
    ['a scalar without value', { assetId: 'a', siteId: 's', readings: [{ sensorId: 's', ts: 1 }] }],
    ['a block at 0 Hz', { assetId: 'a', siteId: 's', readings: [{ ...block, rateHz: 0 }] }],
    ['an empty block', { assetId: 'a', siteId: 's', readings: [{ ...block, values: [] }] }],
    ['a block with a text sample', { assetId: 'a', siteId: 's', readings: [{ ...block, values: [1, '2'] }] }],
  ])('a readings message with %s is invalid and the processor refuses it', (_, message) => {
    expect(readings(message)).toBe(false);
    expect(() => decodeEnvelope(encodeJson(message))).toThrow(/^not a reading envelope: /);
  });
});

const kafka = await kafkaAvailable();
/** What another producer writes to the readings topic that is no reading. */
const FOREIGN = '{"assetId":';

describe.runIf(kafka.available)('the messages MANTIS sends on Kafka', () => {
  const SECONDS = 150;
  const prefix = `contract-${uniqueSuffix()}.`;
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  let app: MantisApp;
  let bus: KafkaBus;
  const received = new Map<string, BusRecord[]>();

  beforeAll(async () => {
    app = await startApp({ 'bus.url': `kafka://${kafkaBroker}`, 'bus.topicPrefix': prefix });
    const startTs = alignedStart(SECONDS + 30, 60);
    // The simulated plant: pump-2 develops an outer-race fault, which raises alerts.
    await runSimulator({ url: app.url, token: app.token, startTs, speed: 0, durationSeconds: SECONDS });
    const ts = startTs + SECONDS * 1000;
    const mixed = await client(app).request(
      'POST',
      '/v1/readings',
      [
        { sensorId: 'pump-1.temp', ts, value: 50.5 },
        { sensorId: 'no-such-sensor', ts, value: 1 },
        { sensorId: 'pump-1.vib', ts, rateHz: 5120, values: 'x'.repeat(20_000) },
      ],
      { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    );
    expect((await bodyOf<{ accepted: number }>(mixed)).accepted).toBe(1);
    bus = new KafkaBus({
      ...configSchema.parse({}).bus,
      url: `kafka://${kafkaBroker}`,
      topicPrefix: prefix,
      clientId: 'contract-test',
    });
    // A message another producer wrote that is no reading: the processor dead-letters it.
    await bus.send(topics.readings, [{ key: 'pump-1', value: new TextEncoder().encode(FOREIGN) }]);
    const wanted: Record<string, (records: BusRecord[]) => boolean> = {
      [topics.readings]: (r) => r.some((m) => m.headers?.traceparent?.includes(traceId)),
      [topics.deadLetters]: (r) => r.some((m) => m.key === 'process'),
      [topics.alerts]: (r) =>
        escalated(r.map((m) => JSON.parse(new TextDecoder().decode(m.value)))) !== undefined,
    };
    for (const topic of Object.values(topics)) {
      const consumer = bus.subscribe(topic, `contract-${uniqueSuffix()}`, 5000);
      const records: BusRecord[] = [];
      const deadline = Date.now() + 60_000;
      while (!wanted[topic](records) && Date.now() < deadline) records.push(...(await consumer.poll(500)));
      await consumer.close();
      received.set(topic, records);
    }
  }, 600_000);

  afterAll(async () => {
    await bus?.close();
    await app?.stop();
  });

  it.each(busContract.map((t) => [t.topic, t] as const))(
    'every %s message has the documented key, headers and value, and nothing undocumented',
    (topic, contract) => {
      const records = received.get(topic) ?? [];
      expect(records.length, `messages read from ${topic}`).toBeGreaterThan(0);
      const validate = validator(closed(contract.value));
      const documented = new Set(contract.headers.map((h) => h.name));
      for (const record of records) {
        const text = new TextDecoder().decode(record.value);
        if (text === FOREIGN) continue; // the other producer's message above
        const value = JSON.parse(text);
        expect(validate(value), `${topic} ${JSON.stringify(validate.errors)}`).toBe(true);
        for (const name of Object.keys(record.headers ?? {})) expect(documented, name).toContain(name);
        for (const h of contract.headers.filter((h) => h.presence === 'always'))
          expect(record.headers?.[h.name], h.name).toBeDefined();
        if (topic === topics.deadLetters) expect(record.key).toBe(value.source);
        else expect(record.key).toBe(value.assetId);
      }
    },
  );

  it('stamps readings with when ingest accepted them and the trace of the request', () => {
    const records = received.get(topics.readings) ?? [];
    const traced = records.find((r) => r.headers?.traceparent?.includes(traceId));
    expect(traced?.headers?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const at = Number(traced?.headers?.[INGESTED_AT_HEADER]);
    expect(at).toBeGreaterThan(Date.now() - 600_000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('dead-letters each rejected item with its field and reason, and a foreign message whole', () => {
    const letters = (received.get(topics.deadLetters) ?? []).map((r) => ({
      key: r.key,
      trace: r.headers?.traceparent,
      ...JSON.parse(new TextDecoder().decode(r.value)),
    }));
    expect(letters.find((l) => l.index === 1)).toMatchObject({
      key: 'http',
      source: 'http',
      field: 'sensorId',
      item: { sensorId: 'no-such-sensor' },
    });
    expect(letters.find((l) => l.index === 1)?.trace).toContain(traceId);
    expect(letters.find((l) => l.index === 2)).toMatchObject({ source: 'http', field: 'values' });
    expect(letters.find((l) => l.source === 'process')).toMatchObject({
      key: 'process',
      index: null,
      field: 'message',
      item: Buffer.from(FOREIGN).toString('base64'),
    });
  });

  it('announces the alerts of the faulty pump, raised then escalated under the same id', () => {
    const alerts = (received.get(topics.alerts) ?? []).map((r) =>
      JSON.parse(new TextDecoder().decode(r.value)),
    );
    expect(new Set(alerts.map((a) => a.assetId))).toEqual(new Set(['pump-2']));
    const first = alerts.find((a) => a.cause === 'vibration-anomaly');
    expect(first).toMatchObject({
      severity: 'warning',
      status: 'active',
      resolvedAt: null,
      workOrderOpened: true,
    });
    const id = escalated(alerts);
    const again = alerts.filter((a) => a.id === id && a.severity === 'critical');
    expect(again.length).toBeGreaterThan(0);
    // An escalation is the alert again, not a new opening.
    for (const a of again) expect(a.workOrderOpened).toBeUndefined();
    expect(alerts.some((a) => a.cause.startsWith('diagnosis:outer-race:'))).toBe(true);
  });
});
