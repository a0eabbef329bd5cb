import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { type DeadLetter, decodeJson } from '../src/bus/codec.ts';
import { bodyOf, client, startApp } from './helpers/app.ts';
import { freePort, MOSQUITTO, mosquittoAvailable } from './helpers/infra.ts';
import { metric, mosquittoListening, storedCount, waitFor } from './helpers/mqtt.ts';

const sensor = (id: string) => ({
  id,
  kind: 'temperature',
  unit: 'degC',
  sampleRateHz: 1,
  validMin: -50,
  validMax: 200,
});

async function register(app: MantisApp, site: string, asset: string): Promise<void> {
  const response = await client(app).request('PUT', `/v1/assets/${asset}`, {
    siteId: site,
    lineId: `${site}-line`,
    name: asset,
    kind: 'oven',
    sensors: [sensor(`${asset}.temp`)],
  });
  expect(response.status).toBe(200);
}

describe('MQTT ingestion through the embedded listener', () => {
  let app: MantisApp;
  let deviceToken: string;
  const url = () => `mqtt://127.0.0.1:${app.services.mqttPort}`;

  beforeAll(async () => {
    app = await startApp();
    await register(app, 'bakery', 'oven-1');
    await register(app, 'bakery', 'oven-2');
    await register(app, 'brewery', 'kettle-1');
    const key = await client(app).request('POST', '/v1/keys', {
      name: 'bakery gateway',
      role: 'device',
      site: 'bakery',
    });
    deviceToken = (await bodyOf(key)).token;
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('stores what a device publishes with QoS 1, one reading or an array per message', async () => {
    const gateway = await connectAsync(url(), { username: 'gw', password: deviceToken, clientId: 'gw-1' });
    const ts = Date.now() - 60_000;
    await gateway.publishAsync('mantis/bakery/oven-1/oven-1.temp', JSON.stringify({ ts, value: 180.5 }), {
      qos: 1,
    });
    await gateway.publishAsync(
      'mantis/bakery/oven-1/oven-1.temp',
      JSON.stringify([
        { ts: ts + 1000, value: 181 },
        { ts: new Date(ts + 2000).toISOString(), value: 181.5 },
      ]),
      { qos: 1 },
    );
    await gateway.endAsync();
    await waitFor('3 readings stored', async () => (await storedCount(app, 'oven-1.temp')) === 3);
    expect(await metric(app, 'mantis_ingest_items_total{transport="mqtt",outcome="accepted"}')).toBe(3);
  });

  it('rejects bad payloads and topics like HTTP does, keeping the good items', async () => {
    const gateway = await connectAsync(url(), { username: 'gw', password: deviceToken, clientId: 'gw-2' });
    const ts = Date.now() - 30_000;
    const dlq = app.services.bus?.subscribe('mantis.readings.dlq.v1', 'mqtt-test', 100);
    await gateway.publishAsync('mantis/bakery/oven-2/oven-2.temp', 'not json', { qos: 1 });
    await gateway.publishAsync(
      'mantis/bakery/oven-2/oven-2.temp',
      JSON.stringify([
        { ts, value: 999 },
        { ts, value: 20 },
      ]),
      { qos: 1 },
    );
    // The topic names another asset than the sensor's.
    await gateway.publishAsync(
      'mantis/bakery/oven-1/oven-2.temp',
      JSON.stringify({ ts: ts + 1, value: 20 }),
      { qos: 1 },
    );
    await gateway.endAsync();
    await waitFor('the good reading stored', async () => (await storedCount(app, 'oven-2.temp')) === 1);
    const reasons: string[] = [];
    await waitFor('3 dead letters', async () => {
      const batch = (await dlq?.poll(500)) ?? [];
      for (const m of batch) reasons.push(decodeJson<DeadLetter>(m.value).reason);
      return reasons.length >= 3;
    });
    expect(reasons).toEqual([
      expect.stringMatching(/^not valid JSON/),
      "999 is outside the sensor's valid range [-50, 200] degC",
      'unknown sensor "oven-2.temp"',
    ]);
    expect(await metric(app, 'mantis_ingest_items_total{transport="mqtt",outcome="rejected"}')).toBe(3);
    await dlq?.close();
  });

  it("refuses a wrong password, and a device's publications outside its site", async () => {
    await expect(
      connectAsync(url(), { username: 'gw', password: 'wrong', reconnectPeriod: 0 }),
    ).rejects.toThrow(/Bad username or password/);
    const gateway = await connectAsync(url(), { username: 'gw', password: deviceToken, reconnectPeriod: 0 });
    gateway.on('error', () => {});
    await gateway.publishAsync(
      'mantis/brewery/kettle-1/kettle-1.temp',
      JSON.stringify({ ts: Date.now(), value: 90 }),
      { qos: 0 },
    );
    await gateway.endAsync(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await storedCount(app, 'kettle-1.temp')).toBe(0);
    // Only MANTIS subscribes: a device cannot read the plant's readings.
    const snoop = await connectAsync(url(), { username: 'gw', password: deviceToken, reconnectPeriod: 0 });
    // SUBACK 0x80: refused.
    await expect(snoop.subscribeAsync('mantis/#', { qos: 1 })).rejects.toThrow(/^Subscribe error/);
    await snoop.endAsync(true);
  });
});

const mosquitto = await mosquittoAvailable();

describe.runIf(mosquitto.available)('MQTT ingestion from a real Mosquitto', () => {
  let app: MantisApp;
  let broker: ChildProcess;
  let port: number;
  let dir: string;
  let publisher: MqttClient;

  const startBroker = async () => {
    broker = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await mosquittoListening(port);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mantis-mosquitto-'));
    // Mosquitto started as root runs as user mosquitto, which must be able to write its persistence file.
    chmodSync(dir, 0o777);
    port = await freePort();
    // Persistence keeps MANTIS's session (its subscription and queued QoS 1 messages) across a restart.
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${dir}/`,
        'autosave_interval 1',
        '',
      ].join('\n'),
    );
    await startBroker();
    app = await startApp({
      'mqtt.url': `mqtt://127.0.0.1:${port}`,
      'mqtt.clientId': 'mantis-test',
      'mqtt.reconnectMinMs': 100,
      'mqtt.reconnectMaxMs': 1000,
    });
    await register(app, 'site-1', 'press-1');
    await waitFor('MANTIS subscribed', async () => (await metric(app, 'mantis_mqtt_connected')) === 1);
    publisher = await connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: 'plc-1',
      clean: false,
      reconnectPeriod: 200,
    });
  }, 60_000);

  afterAll(async () => {
    await publisher?.endAsync(true);
    await app?.stop();
    broker?.kill('SIGKILL');
  });

  it('stores what is published, and loses nothing published after a broker restart', async () => {
    const ts = Date.now() - 120_000;
    const publish = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        await publisher.publishAsync(
          'mantis/site-1/press-1/press-1.temp',
          JSON.stringify({ ts: ts + i * 100, value: i % 150 }),
          {
            qos: 1,
          },
        );
      }
    };
    await publish(0, 100);
    await waitFor('the first 100 stored', async () => (await storedCount(app, 'press-1.temp')) === 100);

    broker.kill('SIGTERM');
    await once(broker, 'exit');
    await startBroker();
    await waitFor('the publisher back', async () => publisher.connected);
    // MANTIS may not be back yet: the broker keeps its session and queues these for it.
    await publish(100, 100);
    await waitFor(
      'all 200 stored',
      async () => (await storedCount(app, 'press-1.temp')) === 200,
      60_000,
    ).catch(async (err) => {
      throw new Error(`${err.message}: ${await storedCount(app, 'press-1.temp')} stored`);
    });
    await waitFor('MANTIS reconnected', async () => (await metric(app, 'mantis_mqtt_connected')) === 1);
    expect(await metric(app, 'mantis_mqtt_reconnects_total')).toBeGreaterThan(0);
    const ready = await bodyOf(await fetch(`${app.url}/health/ready`));
    expect(ready.checks.mqtt.detail).toBe(`connected to mqtt://127.0.0.1:${port}`);
  }, 120_000);
});
