import { afterEach, describe, expect, it } from 'vitest';
import { encodeJson, INGESTED_AT_HEADER } from '../bus/codec.ts';
import { MemoryBus } from '../bus/memory.ts';
import { topics } from '../bus/port.ts';
import type { ReadingEnvelope } from '../domain/types.ts';
import { createLogger } from '../observability/logger.ts';
import { counterTotal, createMetrics, type Metrics } from '../observability/metrics.ts';
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

/** Durable-bus behaviour: open windows are not flushed on stop, their readings stay uncommitted. */
const options: ProcessorOptions = {
  windows: {
    windowMs: 10_000,
    latenessMs: 2_000,
    idleMs: 3_600_000,
    idleNeedsPartitionProgress: true,
    bandEdgesHz: [],
  },
  health: {
    baselineWindows: 3,
    smoothing: 0.3,
    bandEdgesHz: [],
    alertBelow: 40,
    clearAbove: 60,
  },
  maxBatchMessages: 100,
  drainWindowsOnStop: false,
  writeAttempts: 3,
  stallMs: 60_000,
};

/** The ports of one run: the stores outlive processors, as a database outlives a restart. */
function stores() {
  return {
    bus: new MemoryBus(1000),
    raw: new MemoryRawStore(),
    features: new MemoryFeatureStore(),
    online: new MemoryOnlineStore(),
    catalog: new MemorySensorCatalog([SENSOR]),
  };
}

const envelope = (...values: [number, number][]): ReadingEnvelope => ({
  siteId: 's1',
  assetId: 'pump-1',
  readings: values.map(([ts, value]) => ({ sensorId: SENSOR.id, ts, value })),
});

/** Each envelope in its own message, as ingest would have stamped it just after its last reading. */
async function send(bus: MemoryBus, ...envelopes: ReadingEnvelope[]) {
  await bus.send(
    topics.readings,
    envelopes.map((e) => ({
      key: e.assetId,
      value: encodeJson(e),
      headers: { [INGESTED_AT_HEADER]: String(Math.max(...e.readings.map((r) => r.ts))) },
    })),
  );
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the processor against in-memory ports', () => {
  const running: Processor[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });

  async function start(ports: ReturnType<typeof stores>, metrics: Metrics = createMetrics()) {
    const processor = new Processor({ ...ports, metrics, log: createLogger('silent') }, options);
    await processor.start();
    running.push(processor);
    return processor;
  }

  it('commits only up to the readings of open windows, and a restart replays exactly those', async () => {
    const ports = stores();
    const first = await start(ports);
    // The last two readings close the first window; the second window stays open with them.
    await send(
      ports.bus,
      envelope([T0 + 1_000, 20]),
      envelope([T0 + 5_000, 22]),
      envelope([T0 + 12_000, 30]),
      envelope([T0 + 13_000, 32]),
    );
    await until(() => ports.features.features.size === 1, 'the first window');
    await first.stop();
    running.length = 0;

    expect(ports.features.storedFeatures().map((f) => [f.windowStart, f.count, f.mean])).toEqual([
      [T0, 2, 21],
    ]);
    expect(ports.raw.storedReadings().map((r) => r.ts)).toEqual([
      T0 + 1_000,
      T0 + 5_000,
      T0 + 12_000,
      T0 + 13_000,
    ]);
    expect(await ports.features.progress()).toEqual([
      { assetId: 'pump-1', sensorId: SENSOR.id, closedUntil: T0 + 10_000 },
    ]);

    // A second run replays the uncommitted readings (their window was open), not the committed ones.
    const metrics = createMetrics();
    await start(ports, metrics);
    await send(ports.bus, envelope([T0 + 21_000, 40]), envelope([T0 + 22_000, 42]));
    await until(() => ports.features.features.size === 2, 'the second window');
    const second = ports.features.storedFeatures()[1];
    expect([second.windowStart, second.count, second.mean]).toEqual([T0 + 10_000, 2, 31]);
    expect(await counterTotal(metrics.pipelineReadings, { outcome: 'windowed' })).toBe(4);
    expect(await counterTotal(metrics.pipelineReadings, { outcome: 'late' })).toBe(0);
    // Stored once each, although the readings at +12 s and +13 s were written twice.
    expect(ports.raw.storedReadings().map((r) => r.ts)).toEqual([
      T0 + 1_000,
      T0 + 5_000,
      T0 + 12_000,
      T0 + 13_000,
      T0 + 21_000,
      T0 + 22_000,
    ]);
  });

  it('retries a write the store fails for an outage, then stores the batch once, dead-lettering nothing', async () => {
    const ports = stores();
    const metrics = createMetrics();
    ports.features.outage.begin('transient', 3);
    await start(ports, metrics);
    await send(ports.bus, envelope([T0 + 1_000, 20], [T0 + 2_000, 24], [T0 + 11_000, 25], [T0 + 12_000, 25]));
    await until(() => ports.features.features.size === 1, 'the window after the outage');
    expect(await counterTotal(metrics.pipelineWriteRetries, { class: 'transient' })).toBe(3);
    expect(await counterTotal(metrics.pipelineDeadLettered)).toBe(0);
    expect(ports.features.storedFeatures()[0]).toMatchObject({ windowStart: T0, count: 2, mean: 22 });
    // The raw rows were written at every attempt, stored once.
    expect(ports.raw.writes).toBe(4);
    expect(ports.raw.storedReadings()).toHaveLength(4);
    expect(await ports.online.latest('pump-1')).toEqual({ [SENSOR.id]: ports.features.storedFeatures()[0] });
  });

  it('commits nothing of a batch it could not write before stopping; the next run stores it from a replay', async () => {
    const ports = stores();
    ports.raw.outage.begin('store');
    const first = await start(ports);
    await send(ports.bus, envelope([T0 + 1_000, 20], [T0 + 11_000, 21], [T0 + 12_000, 21]));
    await until(() => first.stalled(Date.now() + options.stallMs) !== null, 'the write to be pending');
    await first.stop();
    running.length = 0;
    expect(first.stalled()).toMatch(/could not be written/);
    expect(ports.features.features.size).toBe(0);

    ports.raw.outage.end();
    await start(ports);
    await until(() => ports.features.features.size === 1, 'the replayed window');
    expect(ports.features.storedFeatures()[0]).toMatchObject({ windowStart: T0, count: 1, mean: 20 });
    expect(ports.raw.storedReadings().map((r) => r.value)).toEqual([20, 21, 21]);
  });
});
