import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { DEAD_LETTER_ITEM_CHARS, MAX_JSON_DEPTH } from '../src/ingest/payload.ts';
import { bodyOf, client, startApp } from './helpers/app.ts';
import { kafkaAvailable, kafkaBroker, mosquittoAvailable, uniqueSuffix } from './helpers/infra.ts';
import {
  deadLetterReader,
  metric,
  noticeReader,
  register,
  startMosquitto,
  storedCount,
  waitFor,
} from './helpers/mqtt.ts';

const POISON = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
/** Rejection notices per topic and second: small, so that the bound shows with a few readings. */
const NOTICES = { 'mqtt.rejectionNoticesPerSecond': 3 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    const app = await startApp(NOTICES);
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
      ...NOTICES,
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
      ...NOTICES,
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
  for (const asset of ['poison', 'bom', 'empty', 'conflict', 'sibling', 'range', 'flood']) {
    await register(app, 'plant', asset);
  }
  await register(app, 'plant', 'large', 25_600);
}

describe.each([embedded, mosquitto, kafka].filter((b) => b.available))(
  'MQTT faults through $name',
  (broker) => {
    let app: MantisApp;
    let gateway: MqttClient;
    let stop: () => Promise<void>;
    let rejections: Awaited<ReturnType<typeof noticeReader>>;
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
      // The gateway listens to its site's rejection notices, as a gateway that wants to know should.
      rejections = await noticeReader(gateway, 'mantis-rejected/plant/#');
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
      const reason = `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`;
      // The payload as received (its text: it could not be parsed), cut to the dead letter's bound.
      expect(letter).toMatchObject({
        source: 'mqtt',
        index: 0,
        field: 'payload',
        reason,
        item: '['.repeat(DEAD_LETTER_ITEM_CHARS),
        truncated: true,
      });
      expect(await metric(app, 'mantis_ingest_rejections_total{transport="mqtt",field="payload"}')).toBe(1);
      const [notice] = await rejections.until(1, (n) => n.topic === 'mantis/plant/poison/poison.temp');
      expect(notice).toEqual({
        on: 'mantis-rejected/plant/poison/poison.temp',
        topic: 'mantis/plant/poison/poison.temp',
        index: 0,
        field: 'payload',
        reason,
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
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
      const reason = '"sibling.temp" differs from the sensor of the topic, "conflict.temp"';
      // The item as received, an object like every other rejected reading's (not its JSON text).
      expect(letter).toEqual({
        source: 'mqtt',
        index: 0,
        field: 'sensorId',
        reason,
        item: { sensorId: 'sibling.temp', ts, value: 21 },
        receivedAt: expect.any(String),
      });
      expect(await storedCount(app, 'sibling.temp')).toBe(0);
      const notices = await rejections.until(1, (n) => n.topic === 'mantis/plant/conflict/conflict.temp');
      expect(notices).toEqual([expect.objectContaining({ index: 0, field: 'sensorId', reason })]);
      await dlq.close();
    });

    it('tells a gateway subscribed to its rejection topic which reading was rejected, the field and why, and stores the others', async () => {
      const dlq = deadLetterReader(app, 'faults-range');
      const rejectedBefore = await metric(
        app,
        'mantis_ingest_items_total{transport="mqtt",outcome="rejected"}',
      );
      const ts = Date.now() - 20_000;
      const sentAt = Date.now();
      await publish(
        'mantis/plant/range/range.temp',
        JSON.stringify([
          { ts, value: 21 },
          { ts: ts + 1000, value: 500 },
          { ts: ts + 2000, value: 22 },
        ]),
      );
      const [notice] = await rejections.until(1, (n) => n.topic === 'mantis/plant/range/range.temp');
      expect(notice).toEqual({
        on: 'mantis-rejected/plant/range/range.temp',
        topic: 'mantis/plant/range/range.temp',
        index: 1,
        field: 'value',
        reason: "500 is outside the sensor's valid range [-50, 200] degC",
        receivedAt: expect.any(String),
      });
      expect(Date.parse(notice.receivedAt)).toBeGreaterThanOrEqual(sentAt - 1000);
      // The dead letter for operators holds the reading as received, with the sensor of its topic.
      const [letter] = await dlq.until(1, (l) => l.field === 'value');
      expect(letter).toEqual({
        source: 'mqtt',
        index: 1,
        field: 'value',
        reason: notice.reason,
        item: { ts: ts + 1000, value: 500, sensorId: 'range.temp' },
        receivedAt: expect.any(String),
      });
      expect(Date.parse(letter.receivedAt) - Date.parse(notice.receivedAt)).toBeLessThan(5000);
      await dlq.close();
      await waitFor('the good readings stored', async () => (await storedCount(app, 'range.temp')) === 2);
      // A notice is outside the ingest subscription: never ingested, never rejected in its turn.
      await sleep(500);
      expect(await metric(app, 'mantis_ingest_items_total{transport="mqtt",outcome="rejected"}')).toBe(
        rejectedBefore + 1,
      );
      expect(await metric(app, 'mantis_ingest_rejections_total{transport="mqtt",field="topic"}')).toBe(0);
    });

    it('sends at most 3 notices a second per topic for a flood of bad readings, counting those it drops', async () => {
      const limitedBefore = await metric(app, 'mantis_mqtt_rejection_notices_total{outcome="rate_limited"}');
      // A second apart from the notices before, so that the flood starts a window of its own.
      await sleep(1100);
      const ts = Date.now() - 10_000;
      const flood = Array.from({ length: 50 }, (_, i) => ({ ts: ts + i, value: 1000 + i }));
      await publish('mantis/plant/flood/flood.temp', JSON.stringify(flood));
      const notices = await rejections.until(3, (n) => n.topic === 'mantis/plant/flood/flood.temp');
      await sleep(1000);
      expect(rejections.notices.filter((n) => n.topic === 'mantis/plant/flood/flood.temp')).toEqual(notices);
      expect(notices.map((n) => [n.index, n.field])).toEqual([
        [0, 'value'],
        [1, 'value'],
        [2, 'value'],
      ]);
      expect(await metric(app, 'mantis_mqtt_rejection_notices_total{outcome="rate_limited"}')).toBe(
        limitedBefore + 47,
      );
      // Every rejected reading is still dead-lettered and counted.
      expect(await metric(app, 'mantis_ingest_rejections_total{transport="mqtt",field="value"}')).toBe(51);
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

  it("dead-letters whole a message the bus refuses for good (over Kafka's record size), tells the gateway, and stores the next", async () => {
    const dlq = deadLetterReader(app, 'faults-large');
    const rejections = await noticeReader(gateway, 'mantis-rejected/plant/large/+');
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
    expect(letter).toMatchObject({ source: 'mqtt', index: null, field: 'payload', truncated: true });
    // The payload as received (parsed JSON), cut to the bound as its JSON text.
    expect(letter.item).toBe(
      JSON.stringify({ ts: ts - 5_000, rateHz: 25_600, values }).slice(0, DEAD_LETTER_ITEM_CHARS),
    );
    expect(letter.reason).toMatch(/^not ingested: bus cannot take mantis\.readings\.v1 now/);
    const [notice] = await rejections.until(1);
    expect(notice).toEqual({
      on: 'mantis-rejected/plant/large/large.temp',
      topic: 'mantis/plant/large/large.temp',
      index: null,
      field: 'payload',
      reason: letter.reason.length > 300 ? `${letter.reason.slice(0, 299)}…` : letter.reason,
      receivedAt: letter.receivedAt,
    });
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

describe('MQTT permissions on the embedded listener', () => {
  let app: MantisApp;
  const tokens: Record<string, string> = {};
  const connect = (site: string, clientId: string) =>
    connectAsync(`mqtt://127.0.0.1:${app.services.mqttPort}`, {
      username: `gw-${site}`,
      password: tokens[site],
      clientId,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
  const closed = (mqtt: MqttClient) => new Promise<void>((resolve) => mqtt.once('close', () => resolve()));

  beforeAll(async () => {
    app = await startApp();
    await register(app, 'plant', 'press');
    await register(app, 'other', 'mill');
    for (const site of ['plant', 'other']) {
      const response = await client(app).request('POST', '/v1/keys', { name: site, role: 'device', site });
      tokens[site] = (await bodyOf(response)).token;
    }
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("lets a device key subscribe to its own site's rejection notices, and to no other site's nor to readings", async () => {
    const plant = await connect('plant', 'gw-plant-subscriber');
    const own = await noticeReader(plant, 'mantis-rejected/plant/#');
    expect(own.granted).toBe(1);
    // SUBACK 0x80: refused, the connection kept.
    for (const filter of [
      'mantis-rejected/other/#',
      'mantis-rejected/#',
      'mantis/#',
      'mantis/plant/+/+',
      '#',
    ]) {
      await expect(plant.subscribeAsync(filter, { qos: 1 }), filter).rejects.toMatchObject({
        packet: { granted: [128] },
      });
    }
    expect(plant.connected).toBe(true);
    const readings: string[] = [];
    plant.on('message', (topic) => readings.push(topic));

    // A bad reading of each site: each gateway is told of its own only.
    const other = await connect('other', 'gw-other');
    const othersOwn = await noticeReader(other, 'mantis-rejected/other/#');
    const ts = Date.now() - 5_000;
    await other.publishAsync('mantis/other/mill/mill.temp', JSON.stringify({ ts, value: 900 }), { qos: 1 });
    await plant.publishAsync('mantis/plant/press/press.temp', JSON.stringify({ ts, value: 901 }), { qos: 1 });
    expect(await othersOwn.until(1)).toEqual([
      expect.objectContaining({ topic: 'mantis/other/mill/mill.temp', index: 0, field: 'value' }),
    ]);
    expect(await own.until(1)).toEqual([
      expect.objectContaining({ topic: 'mantis/plant/press/press.temp', index: 0, field: 'value' }),
    ]);
    await sleep(500);
    expect(readings).toEqual(['mantis-rejected/plant/press/press.temp']);
    await plant.endAsync();
    await other.endAsync();
  });

  it("closes the connection of a device publishing to another site's topic or to a rejection topic, and takes nothing of it", async () => {
    const ts = Date.now() - 4_000;
    for (const topic of ['mantis/other/mill/mill.temp', 'mantis-rejected/plant/press/press.temp']) {
      const plant = await connect('plant', 'gw-plant-intruder');
      const gone = closed(plant);
      plant.publish(topic, JSON.stringify({ ts, value: 20 }), { qos: 1 });
      await gone;
    }
    // The other site's own reading, published after them, is the only one stored.
    const other = await connect('other', 'gw-other-publisher');
    await other.publishAsync('mantis/other/mill/mill.temp', JSON.stringify({ ts: ts + 1000, value: 21 }), {
      qos: 1,
    });
    await waitFor(
      'the reading of the other site stored',
      async () => (await storedCount(app, 'mill.temp')) === 1,
    );
    await sleep(1000);
    expect(await storedCount(app, 'mill.temp')).toBe(1);
    await other.endAsync();
  });
});

describe.runIf(mosquitto.available)('MQTT through Mosquitto with the ACL of the README', () => {
  let app: MantisApp;
  let broker: Awaited<ReturnType<typeof startMosquitto>>;
  const url = () => `mqtt://127.0.0.1:${broker.port}`;
  const connect = (username: string) =>
    connectAsync(url(), { username, clientId: username, reconnectPeriod: 0, connectTimeout: 5000 });

  beforeAll(async () => {
    const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
    const acl = /```text\n(# MANTIS logs in as mqtt\.username[^`]*)```/.exec(readme)?.[1];
    expect(acl).toContain('user gw-plant-1');
    // A second gateway, in the README's form.
    broker = await startMosquitto(
      `${acl}\nuser gw-plant-2\ntopic write mantis/plant-2/+/+\ntopic read mantis-rejected/plant-2/#\n`,
    );
    app = await startApp({
      'mqtt.url': url(),
      'mqtt.username': 'mantis',
      'mqtt.clientId': 'mantis-acl',
      'mqtt.reconnectMinMs': 100,
    });
    await register(app, 'plant-1', 'pump');
    await register(app, 'plant-2', 'fan');
    await waitFor('MANTIS subscribed', async () => (await metric(app, 'mantis_mqtt_connected')) === 1);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    broker?.process.kill('SIGKILL');
  });

  it("delivers each gateway its own site's notices and nothing else, and drops a publication to another site", async () => {
    const first = await connect('gw-plant-1');
    const second = await connect('gw-plant-2');
    // Mosquitto grants every filter; what it delivers is what the ACL lets the gateway read.
    const heard = await noticeReader(first, '#');
    const secondHeard = await noticeReader(second, 'mantis-rejected/plant-2/#');
    const seen: string[] = [];
    first.on('message', (topic) => seen.push(topic));
    const ts = Date.now() - 5_000;
    await second.publishAsync('mantis/plant-2/fan/fan.temp', JSON.stringify({ ts, value: 900 }), { qos: 1 });
    await first.publishAsync('mantis/plant-1/pump/pump.temp', JSON.stringify({ ts, value: 901 }), { qos: 1 });
    expect(await secondHeard.until(1)).toEqual([
      expect.objectContaining({ topic: 'mantis/plant-2/fan/fan.temp', index: 0, field: 'value' }),
    ]);
    expect(await heard.until(1)).toEqual([
      expect.objectContaining({ topic: 'mantis/plant-1/pump/pump.temp', index: 0, field: 'value' }),
    ]);

    // Over 3.1.1 Mosquitto acknowledges a publication the ACL denies, and drops it.
    await first.publishAsync('mantis/plant-2/fan/fan.temp', JSON.stringify({ ts, value: 20 }), { qos: 1 });
    await second.publishAsync('mantis/plant-2/fan/fan.temp', JSON.stringify({ ts: ts + 1000, value: 21 }), {
      qos: 1,
    });
    await waitFor('the reading of plant-2 stored', async () => (await storedCount(app, 'fan.temp')) === 1);
    await sleep(1000);
    expect(await storedCount(app, 'fan.temp')).toBe(1);
    expect(seen).toEqual(['mantis-rejected/plant-1/pump/pump.temp']);
    expect(first.connected).toBe(true);
    await first.endAsync();
    await second.endAsync();
  });
});
