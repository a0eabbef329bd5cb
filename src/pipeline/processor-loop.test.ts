import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeJson } from '../bus/codec.ts';
import { MemoryBus } from '../bus/memory.ts';
import { type Bus, topics } from '../bus/port.ts';
import { createMetrics } from '../observability/metrics.ts';
import { MemoryFeatureStore, MemorySensorCatalog } from '../storage/memory/feature-store.ts';
import { MemoryOnlineStore } from '../storage/memory/online-store.ts';
import { MemoryRawStore } from '../storage/memory/raw-store.ts';
import { Processor, type ProcessorOptions } from './processor.ts';

const T0 = Date.UTC(2026, 2, 10, 8, 0, 0);
const SENSOR = {
  id: 'pump-1.temp',
  assetId: 'pump-1',
  kind: 'temperature' as const,
  unit: 'C',
  sampleRateHz: 1,
  validMin: -50,
  validMax: 200,
};

const options: ProcessorOptions = {
  windows: {
    windowMs: 10_000,
    latenessMs: 2_000,
    idleMs: 3_600_000,
    idleNeedsPartitionProgress: true,
    bandEdgesHz: [],
  },
  health: { baselineWindows: 3, smoothing: 0.3, bandEdgesHz: [], alertBelow: 40, clearAbove: 60 },
  maxBatchMessages: 100,
  drainWindowsOnStop: false,
  writeAttempts: 3,
  stallMs: 60_000,
  loopRetry: { baseMs: 20, maxMs: 80 },
};

/** The memory bus, whose consumers' polls fail while `failures` is above zero (a bus that cannot be read). */
function flakyBus() {
  const bus = new MemoryBus(1000);
  const state = { failures: 0 };
  const flaky: Bus = {
    send: (topic, messages) => bus.send(topic, messages),
    subscribe(topic, group, maxBatch) {
      const consumer = bus.subscribe(topic, group, maxBatch);
      return {
        ...consumer,
        poll: async (waitMs) => {
          if (state.failures > 0) {
            state.failures--;
            throw new Error('bus unreachable');
          }
          return consumer.poll(waitMs);
        },
      };
    },
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
  return { bus: flaky, state };
}

async function until(condition: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the processor’s poll loop', () => {
  let processor: Processor | null = null;
  afterEach(async () => {
    await processor?.stop();
  });

  it('retries a failed batch with capped backoff and jitter, never giving up, and starts again after a success', async () => {
    const { bus, state } = flakyBus();
    const raw = new MemoryRawStore();
    const retries: { attempt: number; delayMs: number }[] = [];
    const log = pino(
      { level: 'error' },
      {
        write: (line: string) => {
          const entry = JSON.parse(line);
          if (entry.msg === 'processing failed; retrying') retries.push(entry);
        },
      },
    );
    state.failures = 7;
    processor = new Processor(
      {
        bus,
        raw,
        features: new MemoryFeatureStore(),
        online: new MemoryOnlineStore(),
        catalog: new MemorySensorCatalog([SENSOR]),
        metrics: createMetrics(),
        log,
      },
      options,
    );
    await processor.start();
    await until(() => retries.length === 7, 'seven retries');
    await bus.send(topics.readings, [
      {
        key: 'pump-1',
        value: encodeJson({
          siteId: 's1',
          assetId: 'pump-1',
          readings: [{ sensorId: SENSOR.id, ts: T0, value: 21 }],
        }),
      },
    ]);
    await until(() => raw.storedReadings().length === 1, 'the reading stored after the failures');
    state.failures = 2;
    await until(() => retries.length === 9, 'two more retries');
    await until(() => state.failures === 0, 'the loop polling again');

    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2]);
    // Equal jitter of 20 ms doubling up to 80 ms: [10, 20], [20, 40], [40, 80], then [40, 80] each time.
    const bounds = [10, 20, 40, 40, 40, 40, 40, 10, 20];
    retries.forEach((r, i) => {
      expect(r.delayMs).toBeGreaterThanOrEqual(bounds[i]);
      expect(r.delayMs).toBeLessThanOrEqual(bounds[i] * 2);
    });
    expect(raw.storedReadings().map((r) => [r.ts, r.value])).toEqual([[T0, 21]]);
  });

  it('stops at once when stopped during a long backoff', async () => {
    const { bus, state } = flakyBus();
    state.failures = 1_000;
    processor = new Processor(
      {
        bus,
        raw: new MemoryRawStore(),
        features: new MemoryFeatureStore(),
        online: new MemoryOnlineStore(),
        catalog: new MemorySensorCatalog([SENSOR]),
        metrics: createMetrics(),
        log: pino({ level: 'silent' }),
      },
      { ...options, loopRetry: { baseMs: 60_000, maxMs: 60_000 } },
    );
    await processor.start();
    await until(() => state.failures === 999, 'the first failure');
    const started = performance.now();
    await processor.stop();
    processor = null;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(state.failures).toBe(999);
  });

  it('counts a message as unprocessed from its publication until its batch is written', async () => {
    const bus = new MemoryBus(1000);
    const raw = new MemoryRawStore();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const write = raw.write.bind(raw);
    raw.write = async (rows) => {
      await held;
      return write(rows);
    };
    processor = new Processor(
      {
        bus,
        raw,
        features: new MemoryFeatureStore(),
        online: new MemoryOnlineStore(),
        catalog: new MemorySensorCatalog([SENSOR]),
        metrics: createMetrics(),
        log: pino({ level: 'silent' }),
      },
      options,
    );
    await processor.start();
    expect(processor.unprocessed()).toBe(0);
    const message = (i: number) => ({
      key: 'pump-1',
      value: encodeJson({
        siteId: 's1',
        assetId: 'pump-1',
        readings: [{ sensorId: SENSOR.id, ts: T0 + i, value: i }],
      }),
    });
    await bus.send(topics.readings, [message(0), message(1), message(2)]);
    // Read from a timer, as a caller would: a poll hands records over within one run of microtasks.
    await new Promise((r) => setTimeout(r, 0));
    expect(processor.unprocessed()).toBe(3);
    // Delivered, but the write is held: still unprocessed.
    await until(() => raw.writes === 0 && processor?.unprocessed() === 3, 'the batch taken from the bus');
    await new Promise((r) => setTimeout(r, 300));
    expect(processor.unprocessed()).toBe(3);
    release();
    await until(() => processor?.unprocessed() === 0, 'the batch written');
    expect(raw.storedReadings()).toHaveLength(3);
  });
});
