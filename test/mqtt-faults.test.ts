import type { ChildProcess } from 'node:child_process';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { MAX_JSON_DEPTH } from '../src/ingest/payload.ts';
import { bodyOf, client, startApp } from './helpers/app.ts';
import { kafkaAvailable, kafkaBroker, mosquittoAvailable, uniqueSuffix } from './helpers/infra.ts';
import { deadLetterReader, metric, register, startMosquitto, storedCount, waitFor } from './helpers/mqtt.ts';

const POISON = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

interface Broker {
  name: string;
  available: boolean;
  /** MANTIS with its assets registered, and how a gateway of site `plant` connects. */
  start(): Promise<{ app: MantisApp; url: string; gateway: IClientOptions; stop(): Promise<void> }>;
}

const embedded: Broker = {
  name: 'the embedded listener',
  available: true,
  async start() {
    const app = await startApp();
    await setUp(app);
    const key = await client(app).request('POST', '/v1/keys', { name: 'gw', role: 'device', site: 'plant' });
    const { token } = await bodyOf(key);
    return {
      app,
      url: `mqtt://127.0.0.1:${app.services.mqttPort}`,
      gateway: { username: 'gw', password: token },
      stop: () => app.stop(),
    };
  },
};

const mosquitto: Broker = {
  name: 'Mosquitto',
  available: (await mosquittoAvailable()).available,
  async start() {
    const broker = await startMosquitto();
    const app = await startApp({
      'mqtt.url': `mqtt://127.0.0.1:${broker.port}`,
      'mqtt.clientId': 'mantis-faults',
      'mqtt.reconnectMinMs': 100,
      'mqtt.reconnectMaxMs': 1000,
    });
    await setUp(app);
    await waitFor('MANTIS subscribed', async () => (await metric(app, 'mantis_mqtt_connected')) === 1);
    return {
      app,
      url: `mqtt://127.0.0.1:${broker.port}`,
      gateway: {},
      stop: async () => {
        await app.stop();
        (broker.process as ChildProcess).kill('SIGKILL');
      },
    };
  },
};

const kafka: Broker = {
  name: 'the embedded listener on Kafka',
  available: (await kafkaAvailable()).available,
  async start() {
    const app = await startApp({
      'bus.url': `kafka://${kafkaBroker}`,
      'bus.topicPrefix': `test-${uniqueSuffix()}.`,
      'mqtt.listen': 'on',
      // Uncompressed, a record's size on the wire is its size in the message.
      'bus.compression': 'none',
    });
    await setUp(app);
    const key = await client(app).request('POST', '/v1/keys', { name: 'gw', role: 'device', site: 'plant' });
    const { token } = await bodyOf(key);
    return {
      app,
      url: `mqtt://127.0.0.1:${app.services.mqttPort}`,
      gateway: { username: 'gw', password: token },
      stop: () => app.stop(),
    };
  },
};

async function setUp(app: MantisApp): Promise<void> {
  for (const asset of ['poison', 'bom', 'empty', 'conflict', 'sibling']) await register(app, 'plant', asset);
  await register(app, 'plant', 'large', 25_600);
}

describe.each([embedded, mosquitto, kafka].filter((b) => b.available))(
  'MQTT faults through $name',
  (broker) => {
    let app: MantisApp;
    let gateway: MqttClient;
    let stop: () => Promise<void>;
    const publish = (topic: string, payload: string | Buffer, retain = false) =>
      gateway.publishAsync(topic, payload, { qos: 1, retain });
    const reading = (ts: number, value = 20) => JSON.stringify({ ts, value });

    beforeAll(async () => {
      const started = await broker.start();
      ({ app, stop } = started);
      gateway = await connectAsync(started.url, {
        ...started.gateway,
        clientId: 'gw-faults',
        reconnectPeriod: 200,
      });
    }, 60_000);

    afterAll(async () => {
      await gateway?.endAsync(true);
      await stop?.();
    });

    it('dead-letters a payload of 10 000 nested arrays with its reason, and stores the reading after it', async () => {
      const dlq = deadLetterReader(app, 'faults-poison');
      const ts = Date.now() - 60_000;
      await publish('mantis/plant/poison/poison.temp', POISON);
      await publish('mantis/plant/poison/poison.temp', reading(ts));
      await waitFor('the later reading stored', async () => (await storedCount(app, 'poison.temp')) === 1);
      const [letter] = await dlq.until(1, (l) => l.reason.startsWith('nests'));
      expect(letter).toMatchObject({
        source: 'mqtt',
        field: 'payload',
        reason: `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
        item: '['.repeat(200),
      });
      expect(await metric(app, 'mantis_ingest_rejections_total{transport="mqtt",field="payload"}')).toBe(1);
      await dlq.close();
    });

    it('stores a JSON payload that starts with a UTF-8 byte-order mark', async () => {
      const ts = Date.now() - 50_000;
      const bom = Buffer.from([0xef, 0xbb, 0xbf]);
      await publish('mantis/plant/bom/bom.temp', Buffer.concat([bom, Buffer.from(reading(ts))]));
      await publish(
        'mantis/plant/bom/bom.temp',
        Buffer.concat([bom, Buffer.from(`[${reading(ts + 1000)}]`)]),
      );
      await waitFor('both readings stored', async () => (await storedCount(app, 'bom.temp')) === 2);
    });

    it('ignores an empty retained message, counted apart, and rejects an empty plain one naming the payload', async () => {
      const dlq = deadLetterReader(app, 'faults-empty');
      const rejectedBefore = await metric(
        app,
        'mantis_ingest_items_total{transport="mqtt",outcome="rejected"}',
      );
      const ts = Date.now() - 40_000;
      // A retained reading, then its clearing: the protocol's zero-length retained message.
      await publish('mantis/plant/empty/empty.temp', reading(ts), true);
      await publish('mantis/plant/empty/empty.temp', '', true);
      await publish('mantis/plant/empty/empty.temp', '');
      await publish('mantis/plant/empty/empty.temp', reading(ts + 1000));
      await waitFor('both readings stored', async () => (await storedCount(app, 'empty.temp')) === 2);
      const letters = await dlq.until(1, (l) => l.reason.startsWith('is empty'));
      expect(letters).toEqual([
        expect.objectContaining({
          field: 'payload',
          reason: 'is empty: a message must hold a reading or an array of them',
        }),
      ]);
      expect(await metric(app, 'mantis_mqtt_messages_ignored_total{reason="empty_retained"}')).toBe(1);
      expect(await metric(app, 'mantis_ingest_items_total{transport="mqtt",outcome="rejected"}')).toBe(
        rejectedBefore + 1,
      );
      await dlq.close();
    });

    it('rejects a reading whose sensorId differs from its topic, naming the field, and keeps its neighbour', async () => {
      const dlq = deadLetterReader(app, 'faults-conflict');
      const ts = Date.now() - 30_000;
      await publish(
        'mantis/plant/conflict/conflict.temp',
        JSON.stringify([
          { sensorId: 'sibling.temp', ts, value: 21 },
          { sensorId: 'conflict.temp', ts: ts + 1000, value: 22 },
        ]),
      );
      await waitFor(
        'the matching reading stored',
        async () => (await storedCount(app, 'conflict.temp')) === 1,
      );
      const [letter] = await dlq.until(1, (l) => l.field === 'sensorId');
      expect(letter).toMatchObject({
        index: 0,
        field: 'sensorId',
        reason: '"sibling.temp" differs from the sensor of the topic, "conflict.temp"',
      });
      expect(await storedCount(app, 'sibling.temp')).toBe(0);
      await dlq.close();
    });
  },
);

describe.runIf(kafka.available)('MQTT through the embedded listener on Kafka', () => {
  let app: MantisApp;
  let gateway: MqttClient;
  let stop: () => Promise<void>;
  const publish = (topic: string, payload: string) => gateway.publishAsync(topic, payload, { qos: 1 });
  const reading = (ts: number, value = 20) => JSON.stringify({ ts, value });

  beforeAll(async () => {
    const started = await kafka.start();
    ({ app, stop } = started);
    gateway = await connectAsync(started.url, {
      ...started.gateway,
      clientId: 'gw-large',
      reconnectPeriod: 200,
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.endAsync(true);
    await stop?.();
  });

  it("dead-letters whole a message the bus refuses for good (over Kafka's record size), and stores the next", async () => {
    const dlq = deadLetterReader(app, 'faults-large');
    const ts = Date.now() - 20_000;
    // 65 536 samples of about 18 characters: a readings record of 1.2 MB, over Kafka's 1 MiB default.
    const values = Array.from({ length: 65_536 }, (_, i) => 100 + ((i * 7919) % 9973) / 9973.123456789);
    await publish(
      'mantis/plant/large/large.temp',
      JSON.stringify({ ts: ts - 5_000, rateHz: 25_600, values }),
    );
    await publish('mantis/plant/large/large.temp', reading(ts));
    await waitFor(
      'the later reading stored',
      async () => (await storedCount(app, 'large.temp')) === 1,
      60_000,
    );
    const [letter] = await dlq.until(1, (l) => l.reason.startsWith('not ingested'));
    expect(letter).toMatchObject({ source: 'mqtt', index: null, field: 'payload' });
    expect(letter.reason).toMatch(/^not ingested: bus cannot take mantis\.readings\.v1 now/);
    expect(await metric(app, 'mantis_ingest_requests_refused_total{transport="mqtt",reason="failed"}')).toBe(
      1,
    );
    await dlq.close();
  }, 90_000);

  it('answers 413 to an HTTP batch the bus refuses for its size, and stores the next batch', async () => {
    const ts = Date.now() - 40_000;
    const values = Array.from({ length: 65_536 }, (_, i) => 100 + ((i * 7919) % 9973) / 9973.123456789);
    const api = client(app);
    const refused = await api.request('POST', '/v1/readings', [
      { sensorId: 'large.temp', ts, rateHz: 25_600, values },
    ]);
    expect(refused.status).toBe(413);
    expect(await bodyOf(refused)).toMatchObject({ error: 'payload_too_large' });
    const before = await storedCount(app, 'large.temp');
    const next = await api.request('POST', '/v1/readings', [
      { sensorId: 'large.temp', ts: ts + 1_000, value: 21 },
    ]);
    expect(next.status).toBe(202);
    await waitFor(
      'the next batch stored',
      async () => (await storedCount(app, 'large.temp')) === before + 1,
      60_000,
    );
  }, 90_000);
});

describe('MQTT log-in on the embedded listener', () => {
  let app: MantisApp;
  let deviceToken: string;
  let viewerToken: string;
  const url = () => `mqtt://127.0.0.1:${app.services.mqttPort}`;
  const connect = (password: string, options: IClientOptions = {}) =>
    connectAsync(url(), { username: 'gw', password, reconnectPeriod: 0, connectTimeout: 5000, ...options });

  beforeAll(async () => {
    app = await startApp({ 'http.authFailuresPerMinute': 30 });
    await register(app, 'plant', 'press');
    const make = async (role: string) => {
      const response = await client(app).request('POST', '/v1/keys', {
        name: `${role} key`,
        role,
        ...(role === 'device' && { site: 'plant' }),
      });
      return (await bodyOf(response)).token as string;
    };
    deviceToken = await make('device');
    viewerToken = await make('viewer');
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('lets valid credentials in after 30 bad tokens from the same address, on HTTP and MQTT', async () => {
    for (let i = 0; i < 30; i++) {
      expect((await client(app, `wrong-${i}`).request('GET', '/v1/assets')).status).toBe(401);
    }
    // Failures past the budget are told to back off; valid credentials are not failures.
    expect((await client(app, 'wrong-30').request('GET', '/v1/assets')).status).toBe(429);
    await expect(connect('wrong-31')).rejects.toMatchObject({ code: 4 });
    expect((await client(app).request('GET', '/v1/assets')).status).toBe(200);
    const gateway = await connect(deviceToken, { clientId: 'gw-after-failures' });
    const ts = Date.now() - 10_000;
    await gateway.publishAsync('mantis/plant/press/press.temp', JSON.stringify({ ts, value: 30 }), {
      qos: 1,
    });
    await gateway.endAsync();
    await waitFor('the reading stored', async () => (await storedCount(app, 'press.temp')) === 1);
  });

  it('answers CONNACK 4 to a bad password and 5 to a role that may not use MQTT', async () => {
    await expect(connect('wrong')).rejects.toMatchObject({ code: 4 });
    await expect(connect(viewerToken)).rejects.toMatchObject({ code: 5 });
  });

  it('refuses MQTT 5, which the embedded listener does not speak, with CONNACK 1', async () => {
    await expect(connect(deviceToken, { protocolVersion: 5 })).rejects.toMatchObject({ code: 1 });
  });
});
