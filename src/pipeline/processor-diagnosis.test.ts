import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson, INGESTED_AT_HEADER } from '../bus/codec.ts';
import { MemoryBus } from '../bus/memory.ts';
import { topics } from '../bus/port.ts';
import { bearingCatalogue } from '../diagnostics/bearings.ts';
import type { Alert, AssetMachine, Sensor } from '../domain/types.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { synthesizeVibration, type VibrationFault } from '../simulator/vibration-faults.ts';
import { MemoryFeatureStore, MemorySensorCatalog } from '../storage/memory/feature-store.ts';
import { MemoryOnlineStore } from '../storage/memory/online-store.ts';
import { MemoryRawStore } from '../storage/memory/raw-store.ts';
import { Processor } from './processor.ts';

const T0 = Date.UTC(2026, 2, 10, 8, 0, 0);
const RATE = 12_800;
const EDGES = [0, 100, 1000, 5000];
const VIB: Sensor = {
  id: 'pump-1.vib',
  assetId: 'pump-1',
  kind: 'vibration',
  unit: 'm/s²',
  sampleRateHz: RATE,
  validMin: -1000,
  validMax: 1000,
  bearings: [{ designation: '6205', location: 'drive end' }],
};
const MACHINE: AssetMachine = {
  speed: { source: 'fixed', rpm: 1797 },
  severity: { group: 2, foundation: 'rigid' },
};
const TEMP: Sensor = { ...VIB, id: 'pump-1.temp', kind: 'temperature', unit: '°C', bearings: null };

function blocks(window: number, fault: VibrationFault, severity: number) {
  return [0, 1].map((b) => ({
    sensorId: VIB.id,
    ts: T0 + window * 10_000 + b * 1_000,
    rateHz: RATE,
    values: Array.from(
      synthesizeVibration({
        rateHz: RATE,
        samples: 4096,
        startSeconds: window * 10 + b,
        shaftHz: 1797 / 60,
        bearing: bearingCatalogue['6205'],
        fault,
        severity,
        seed: 40 + window,
      }),
    ),
  }));
}

function processorOf(
  bus: MemoryBus,
  features: MemoryFeatureStore,
  raw: MemoryRawStore,
  sensors: Sensor[],
  machine: AssetMachine,
): Processor {
  return new Processor(
    {
      bus,
      raw,
      features,
      online: new MemoryOnlineStore(),
      catalog: new MemorySensorCatalog(sensors, new Map([['pump-1', machine]])),
      metrics: createMetrics(),
      log: createLogger('silent'),
    },
    {
      windows: {
        windowMs: 10_000,
        latenessMs: 0,
        idleMs: 3_600_000,
        idleNeedsPartitionProgress: false,
        bandEdgesHz: EDGES,
      },
      health: { baselineWindows: 3, smoothing: 0.3, bandEdgesHz: EDGES, alertBelow: 40, clearAbove: 60 },
      maxBatchMessages: 100,
      drainWindowsOnStop: true,
      writeAttempts: 3,
      stallMs: 60_000,
      diagnostics: { raiseAfter: 2, clearAfter: 2 },
    },
  );
}

describe('the processor diagnosing vibration windows', () => {
  it('stores diagnosis with the windows, raises per fault and clears, and leaves other sensors alone', async () => {
    const bus = new MemoryBus(1000);
    const features = new MemoryFeatureStore();
    const processor = processorOf(bus, features, new MemoryRawStore(), [VIB, TEMP], MACHINE);
    // An anomaly's order open on the sensor: the first named fault takes it over instead of opening one.
    features.workOrders.set('wo-anomaly', {
      id: 'wo-anomaly',
      assetId: 'pump-1',
      sensorId: VIB.id,
      cause: 'vibration-anomaly',
      alertId: 'alr-anomaly',
      title: 'Inspect pump-1',
      priority: 'high',
      status: 'open',
      createdAt: T0,
    });
    const events = bus.subscribe(topics.alerts, 'alert-events', 100);
    await processor.start();
    const plan: [VibrationFault, number][] = [
      ['healthy', 0],
      ['outer-race', 0.6],
      ['outer-race', 0.8],
      ['imbalance', 0.8],
      ['imbalance', 0.8],
    ];
    for (const [w, [fault, severity]] of plan.entries()) {
      const readings = [...blocks(w, fault, severity), { sensorId: TEMP.id, ts: T0 + w * 10_000, value: 40 }];
      await bus.send(topics.readings, [
        {
          key: 'pump-1',
          value: encodeJson({ siteId: 's1', assetId: 'pump-1', readings }),
          headers: { [INGESTED_AT_HEADER]: String(T0 + w * 10_000 + 2_000) },
        },
      ]);
    }
    const deadline = Date.now() + 20_000;
    while (features.storedFeatures().filter((f) => f.sensorId === VIB.id).length < plan.length - 1) {
      if (Date.now() > deadline) throw new Error('windows not stored');
      await new Promise((r) => setTimeout(r, 20));
    }
    await processor.stop();

    const vib = features.storedFeatures().filter((f) => f.sensorId === VIB.id);
    expect(vib).toHaveLength(plan.length);
    for (const f of vib) {
      expect(f.velocityRms).toBeGreaterThan(0);
      expect(f.diagnostics?.blocks).toBe(2);
    }
    expect(vib[2].diagnostics?.diagnoses.map((d) => d.fault)).toContain('outer-race');
    const temp = features.storedFeatures().filter((f) => f.sensorId === TEMP.id);
    for (const f of temp) expect([f.velocityRms, f.severityZone, f.diagnostics]).toEqual([null, null, null]);

    const alerts = [...features.alerts.values()].filter((a) => a.cause.startsWith('diagnosis:'));
    const outer = alerts.find((a) => a.cause === 'diagnosis:outer-race:6205@drive end');
    expect(outer?.raisedAt).toBe(T0 + 30_000);
    expect(outer?.status).toBe('resolved');
    expect(outer?.resolvedAt).toBe(T0 + 50_000);
    const imbalance = alerts.find((a) => a.cause === 'diagnosis:imbalance');
    expect(imbalance?.status).toBe('active');
    const orders = [...features.workOrders.values()].filter((o) => o.cause.startsWith('diagnosis:'));
    expect(orders.map((o) => [o.id, o.cause]).sort()).toEqual([
      ['wo-anomaly', 'diagnosis:outer-race:6205@drive end'],
      [expect.stringMatching(/^wo_/), 'diagnosis:imbalance'],
    ]);
    // The alert events say which raise opened an order and which an open one covers.
    const raised = (await events.poll(100)).map((r) =>
      decodeJson<Alert & { workOrderOpened: boolean }>(r.value),
    );
    expect(raised.map((a) => [a.cause, a.workOrderOpened])).toEqual([
      ['diagnosis:outer-race:6205@drive end', false],
      // An anomaly too, beside the named fault's open order: no second order.
      ['vibration-anomaly', false],
      ['diagnosis:imbalance', true],
    ]);
  }, 30_000);

  it("takes the speed sensor's latest stored reading back on start, before the sensor reports again", async () => {
    const now = Date.now();
    const raw = new MemoryRawStore();
    // Stored by an earlier run: the latest by timestamp is 1797 rpm.
    await raw.write({
      scalars: [
        { sensorId: 'pump-1.rpm', ts: now - 120_000, value: 900 },
        { sensorId: 'pump-1.rpm', ts: now - 60_000, value: 1797 },
      ],
      blocks: [],
    });
    const rpm: Sensor = {
      ...TEMP,
      id: 'pump-1.rpm',
      kind: 'speed',
      unit: 'rpm',
      validMin: 0,
      validMax: 10_000,
    };
    const bus = new MemoryBus(1000);
    const features = new MemoryFeatureStore();
    const machine: AssetMachine = { speed: { source: 'sensor', sensorId: rpm.id } };
    const processor = processorOf(bus, features, raw, [VIB, rpm], machine);
    await processor.start();
    const start = Math.floor(now / 10_000) * 10_000 - 30_000;
    for (const w of [0, 1]) {
      const readings = blocks(w, 'outer-race', 0.6).map((b) => ({ ...b, ts: b.ts - T0 + start }));
      await bus.send(topics.readings, [
        { key: 'pump-1', value: encodeJson({ siteId: 's1', assetId: 'pump-1', readings }) },
      ]);
    }
    await processor.stop();
    const [first] = features.storedFeatures().filter((f) => f.sensorId === VIB.id);
    expect(first.diagnostics?.speed).toEqual({ source: 'sensor', hz: 1797 / 60, rpm: 1797 });
    expect(first.diagnostics?.diagnoses.map((d) => d.fault)).toContain('outer-race');
  }, 30_000);
});
