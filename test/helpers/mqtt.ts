import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { expect } from 'vitest';
import type { MantisApp } from '../../src/app/app.ts';
import { type DeadLetter, decodeJson } from '../../src/bus/codec.ts';
import { topics } from '../../src/bus/port.ts';
import type { RejectionNotice } from '../../src/ingest/mqtt-rejections.ts';
import { client } from './app.ts';
import { freePort, MOSQUITTO } from './infra.ts';

/** Registers an asset with one temperature sensor, `{asset}.temp`, valid from -50 to 200 °C, sampled at sampleRateHz. */
export async function register(app: MantisApp, site: string, asset: string, sampleRateHz = 1): Promise<void> {
  const response = await client(app).request('PUT', `/v1/assets/${asset}`, {
    siteId: site,
    lineId: `${site}-line`,
    name: asset,
    kind: 'oven',
    sensors: [
      {
        id: `${asset}.temp`,
        kind: 'temperature',
        unit: 'degC',
        sampleRateHz,
        validMin: -50,
        validMax: 200,
      },
    ],
  });
  expect(response.status).toBe(200);
}

export async function storedCount(app: MantisApp, sensorId: string): Promise<number> {
  const [row] = (await app.services.db?.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM raw_readings WHERE sensor_id = $1',
    [sensorId],
  )) ?? [{ n: 0 }];
  return row.n;
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The value of one sample on /metrics (name with its labels, as printed), 0 when absent. */
export async function metric(app: MantisApp, name: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Reads the dead-letter topic in a consumer group of its own. */
export function deadLetterReader(app: MantisApp, group: string) {
  const consumer = app.services.bus?.subscribe(topics.deadLetters, group, 100);
  const letters: DeadLetter[] = [];
  return {
    letters,
    /** Waits until `n` dead letters that `match` have been read, and returns those. */
    async until(n: number, match: (letter: DeadLetter) => boolean = () => true): Promise<DeadLetter[]> {
      await waitFor(`${n} dead letters`, async () => {
        for (const m of (await consumer?.poll(200)) ?? []) letters.push(decodeJson<DeadLetter>(m.value));
        return letters.filter(match).length >= n;
      });
      return letters.filter(match);
    },
    close: () => consumer?.close(),
  };
}

/**
 * Subscribes an MQTT client to a filter (QoS 1) and collects what arrives on it as rejection notices.
 * Resolves with the QoS granted (128: refused).
 */
export async function noticeReader(mqtt: MqttClient, filter: string) {
  const notices: (RejectionNotice & { on: string })[] = [];
  mqtt.on('message', (topic, payload) => {
    if (topic.startsWith('mantis-rejected/')) notices.push({ on: topic, ...JSON.parse(payload.toString()) });
  });
  const [granted] = await mqtt.subscribeAsync(filter, { qos: 1 });
  return {
    granted: granted.qos,
    notices,
    /** Waits until `n` notices that `match` have arrived, and returns those. */
    async until(n: number, match: (notice: RejectionNotice) => boolean = () => true) {
      await waitFor(`${n} rejection notices`, async () => notices.filter(match).length >= n);
      return notices.filter(match);
    },
  };
}

/**
 * A Mosquitto broker on a free port, with persistence in a folder of its own: anonymous, or with an
 * acl_file holding `acl` (clients then log in with a user name and no password; the ACL decides).
 */
export async function startMosquitto(
  acl?: string,
): Promise<{ port: number; process: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mantis-mosquitto-'));
  // Mosquitto started as root runs as user mosquitto, which must be able to write its persistence file.
  chmodSync(dir, 0o777);
  const port = await freePort();
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      'autosave_interval 1',
      ...(acl === undefined ? [] : [`acl_file ${join(dir, 'acl')}`]),
      '',
    ].join('\n'),
  );
  if (acl !== undefined) writeFileSync(join(dir, 'acl'), acl);
  const process = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await mosquittoListening(port);
  return { port, process, dir };
}

/** Waits until an MQTT broker on this port accepts a connection. */
export async function mosquittoListening(port: number): Promise<void> {
  await waitFor('mosquitto listening', async () => {
    try {
      const probe = await connectAsync(`mqtt://127.0.0.1:${port}`, {
        reconnectPeriod: 0,
        connectTimeout: 500,
      });
      await probe.endAsync();
      return true;
    } catch {
      return false;
    }
  });
}
