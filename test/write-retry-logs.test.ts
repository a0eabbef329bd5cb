import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MantisApp } from '../src/app/app.ts';
import { loadConfig } from '../src/config/load.ts';
import type { Config } from '../src/config/schema.ts';
import { type Client, client, tempDataDir } from './helpers/app.ts';
import { register, waitFor } from './helpers/mqtt.ts';

/**
 * What the processor logs about a write the database refuses for its data: one short line per attempt
 * (class, SQLSTATE, message), the whole error once when it gives up on the batch and once per record it
 * dead-letters — never the statement's parameters, which hold the batch's readings.
 */
describe('the log of a write the database refuses, on embedded PGlite', () => {
  let app: MantisApp;
  let api: Client;
  let config: Config;
  const logged: { msg: string; bytes: number; [field: string]: unknown }[] = [];
  const lines = (msg: string) => logged.filter((l) => l.msg === msg);

  beforeAll(async () => {
    config = loadConfig({
      env: {},
      overrides: { dataDir: tempDataDir(), 'http.port': 0, 'mqtt.port': 0, 'pipeline.writeAttempts': 4 },
    });
    const log = pino(
      { level: 'info' },
      { write: (line: string) => logged.push({ ...JSON.parse(line), bytes: line.length }) },
    );
    app = await MantisApp.start(config, { log });
    api = client(app);
    await register(app, 'bakery', 'oven-1');
    await app.services.db?.exec(
      'ALTER TABLE raw_readings ADD CONSTRAINT reading_not_123 CHECK (value <> 123.5)',
    );
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('logs each attempt in one short line and the whole error once, without the data', async () => {
    const start = Date.now() - 120_000;
    // 200 readings in one batch, one of them refused: a statement whose parameters are kilobytes long.
    const readings = Array.from({ length: 200 }, (_, i) => ({
      sensorId: 'oven-1.temp',
      ts: start + i * 100,
      value: i === 50 ? 123.5 : 100 + (i % 7),
    }));
    expect((await api.request('POST', '/v1/readings', readings)).status).toBe(202);
    await waitFor(
      'the refused reading to be dead-lettered',
      async () => lines('the database refused a record; dead-lettered').length > 0,
    );

    // writeAttempts attempts at the batch: a line before each of the retries.
    const retries = lines('storage write failed; retrying');
    expect(retries).toHaveLength(config.pipeline.writeAttempts - 1);
    for (const line of retries) {
      expect(line).toMatchObject({
        kind: 'record',
        code: '23514',
        error: expect.stringContaining('reading_not_123'),
      });
      expect(line.err).toBeUndefined();
      expect(line.bytes).toBeLessThan(400);
    }
    const [batch] = lines('the database refuses the batch; isolating the records it refuses');
    const [record, ...more] = lines('the database refused a record; dead-lettered');
    expect(more).toEqual([]);
    for (const line of [batch, record]) {
      const err = line.err as Record<string, unknown>;
      expect(err).toMatchObject({ code: '23514', constraint: 'reading_not_123', stack: expect.any(String) });
      expect(err.params).toBeUndefined();
      expect(err.message).toContain('violates check constraint "reading_not_123"');
    }
    expect(record).toMatchObject({ kind: 'reading' });
    // The statement once, not its 200 readings: a few kilobytes at most.
    expect([batch.bytes, record.bytes].every((n) => n < 4000)).toBe(true);
  }, 60_000);
});
