import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { bearingCatalogue, defectFrequencies } from '../src/diagnostics/bearings.ts';
import { velocityRms } from '../src/diagnostics/severity.ts';
import type { AlertView, WindowFeatures, WorkOrderView } from '../src/domain/types.ts';
import { synthesizeVibration, type VibrationFault } from '../src/simulator/vibration-faults.ts';
import { alignedStart, type Client, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

const RATE = 12_800;
const N = 4096;
const RPM = 1797;
const SHAFT_HZ = RPM / 60;
const BLOCKS_PER_WINDOW = 3;
const WINDOW_MS = 10_000;
const BPFO_HZ = defectFrequencies(bearingCatalogue['6205'], SHAFT_HZ).bpfo;

/** What each window of the pump's sensor carries: healthy, then a growing outer race, then imbalance. */
const PLAN: { fault: VibrationFault; severity: number }[] = [
  { fault: 'healthy', severity: 0 },
  { fault: 'healthy', severity: 0 },
  { fault: 'outer-race', severity: 0.4 },
  { fault: 'outer-race', severity: 0.55 },
  { fault: 'outer-race', severity: 0.7 },
  { fault: 'outer-race', severity: 0.85 },
  { fault: 'imbalance', severity: 0.8 },
  { fault: 'imbalance', severity: 0.8 },
  { fault: 'imbalance', severity: 0.8 },
  { fault: 'imbalance', severity: 0.8 },
];

function blocksOf(window: number, fault: VibrationFault, severity: number, seed: number): number[][] {
  return Array.from({ length: BLOCKS_PER_WINDOW }, (_, b) =>
    Array.from(
      synthesizeVibration({
        rateHz: RATE,
        samples: N,
        startSeconds: window * 10 + b,
        shaftHz: SHAFT_HZ,
        bearing: bearingCatalogue['6205'],
        fault,
        severity,
        seed,
      }),
    ),
  );
}

const postgres = engines.filter((e) => e.name.startsWith('PostgreSQL'));

describe.each(postgres)('vibration diagnosis on the stream, on $name', (engine) => {
  let app: MantisApp;
  let stop: () => Promise<void>;
  let api: Client;
  const start = alignedStart(300);
  const sent = new Map<string, number[][]>();

  const pump = (id: string) => ({
    siteId: 'plant-d',
    lineId: 'line-d',
    name: `Pump ${id}`,
    kind: 'pump',
    machine: { speed: { source: 'fixed', rpm: RPM }, severity: { group: 2, foundation: 'rigid' } },
    sensors: [
      {
        id: `${id}.vib`,
        kind: 'vibration',
        unit: 'm/s²',
        sampleRateHz: RATE,
        validMin: -1000,
        validMax: 1000,
        bearings: [{ designation: '6205', location: 'drive end' }],
        axis: 'radial',
      },
    ],
  });

  async function send(sensorId: string, window: number, blocks: number[][]): Promise<void> {
    const readings = blocks.map((values, b) => ({
      sensorId,
      ts: start + window * WINDOW_MS + b * 1000,
      rateHz: RATE,
      values,
    }));
    const response = await api.request('POST', '/v1/readings', readings);
    expect(response.status).toBe(202);
    sent.set(`${sensorId}@${window}`, blocks);
  }

  async function windowsOf(assetId: string, count: number): Promise<WindowFeatures[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { items } = await api.json<{ items: WindowFeatures[] }>(
        `/v1/assets/${assetId}/features?from=${start}&to=${start + PLAN.length * WINDOW_MS}`,
      );
      if (items.length >= count) return items;
      if (Date.now() > deadline)
        throw new Error(
          `${assetId}: ${items.length} of ${count} windows stored: ${items.map((f) => (f.windowStart - start) / WINDOW_MS)}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    ({ app, stop } = await engine.start({
      'pipeline.idleTimeoutSeconds': 1,
      'diagnostics.clearAfterWindows': 3,
    }));
    api = client(app);
    for (const id of ['pump-d1', 'pump-d2']) {
      const response = await api.request('PUT', `/v1/assets/${id}`, pump(id));
      expect(response.status, await response.clone().text()).toBeLessThan(300);
    }
    for (const [w, { fault, severity }] of PLAN.entries()) {
      await send('pump-d1.vib', w, blocksOf(w, fault, severity, 100 + w));
      await send('pump-d2.vib', w, blocksOf(w, 'healthy', 0, 200 + w));
    }
    await windowsOf('pump-d1', PLAN.length);
    await windowsOf('pump-d2', PLAN.length);
  }, 180_000);

  afterAll(async () => {
    await stop?.();
  });

  it('stores each window with its velocity, ISO zone and BPFO level', async () => {
    const windows = await windowsOf('pump-d1', PLAN.length);
    for (const [w, f] of windows.entries()) {
      const blocks = sent.get(`pump-d1.vib@${w}`) as number[][];
      const perBlock = blocks.map((v) => velocityRms(v, RATE, { unit: 'm/s²' }).mmPerS);
      const expected = Math.sqrt(perBlock.reduce((s, v) => s + v * v, 0) / perBlock.length);
      expect(f.velocityRms).toBeCloseTo(expected, 6);
      expect(f.severityZone).toMatch(/^[ABCD]$/);
      expect(f.diagnostics?.blocks).toBe(BLOCKS_PER_WINDOW);
      expect(f.diagnostics?.speed).toEqual({ source: 'fixed', hz: SHAFT_HZ, rpm: RPM });
    }
    const bpfo = (f: WindowFeatures) =>
      f.diagnostics?.envelope.find((e) => e.defect === 'bpfo' && e.bearing === '6205 (drive end)');
    expect(bpfo(windows[5])?.expectedHz).toBeCloseTo(BPFO_HZ, 6);
    expect(bpfo(windows[5])?.dbAboveFloor).toBeGreaterThan(12);
    expect(bpfo(windows[5])?.dbAboveFloor).toBeGreaterThan((bpfo(windows[0])?.dbAboveFloor ?? 0) + 6);
    expect(windows[5].diagnostics?.diagnoses.map((d) => d.fault)).toContain('outer-race');
  });

  it('raises an alert and opens a work order naming the outer race of the 6205, then one for imbalance', async () => {
    const deadline = Date.now() + 30_000;
    let alerts: AlertView[] = [];
    while (Date.now() < deadline) {
      alerts = (await api.json<{ items: AlertView[] }>('/v1/alerts?asset=pump-d1&limit=100')).items;
      if (alerts.some((a) => a.cause === 'diagnosis:imbalance')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const outer = alerts.find((a) => a.cause === 'diagnosis:outer-race:6205@drive end');
    expect(outer?.message).toMatch(
      /^outer-race defect suspected on bearing 6205 \(drive end\): envelope peaks at \d+\.\d Hz = BPFO( and \d harmonics?)?, \d+ dB above floor; velocity \d+\.\d mm\/s, ISO 20816-3 zone [ABCD]$/,
    );
    const peak = Number(/at (\d+\.\d) Hz/.exec(outer?.message ?? '')?.[1]);
    expect(Math.abs(peak - BPFO_HZ)).toBeLessThan(0.03 * BPFO_HZ);
    // Named in the first two outer-race windows: raised at the end of the second.
    expect(outer?.raisedAt).toBe(start + 4 * WINDOW_MS);
    // Gone from three diagnosed windows of imbalance: cleared.
    expect(outer?.status).toBe('resolved');
    const imbalance = alerts.find((a) => a.cause === 'diagnosis:imbalance');
    expect(imbalance?.status).toBe('active');
    expect(imbalance?.message).toMatch(/^imbalance suspected: 1× at 29\.\d Hz dominates/);

    const orders = (await api.json<{ items: WorkOrderView[] }>('/v1/work-orders?asset=pump-d1&limit=100'))
      .items;
    const outerOrder = orders.find((o) => o.cause === outer?.cause);
    expect(outerOrder?.alertId).toBe(outer?.id);
    expect(outerOrder?.title).toContain('outer-race defect suspected on bearing 6205 (drive end)');
    const imbalanceOrder = orders.find((o) => o.cause === 'diagnosis:imbalance');
    expect(imbalanceOrder?.alertId).toBe(imbalance?.id);
    expect(imbalanceOrder?.id).not.toBe(outerOrder?.id);
    expect(outerOrder?.status).toBe('open');
  });

  it('raises no diagnosis on a pump whose blocks are healthy', async () => {
    const windows = await windowsOf('pump-d2', PLAN.length);
    for (const f of windows) expect(f.diagnostics?.diagnoses.filter((d) => d.bearing)).toEqual([]);
    const alerts = (await api.json<{ items: AlertView[] }>('/v1/alerts?asset=pump-d2&limit=100')).items;
    expect(alerts.filter((a) => a.cause.startsWith('diagnosis:'))).toEqual([]);
  });

  it('serves the envelope spectrum of a block with the BPFO marker where its peak is', async () => {
    const at = start + 5 * WINDOW_MS + 2_500;
    const view = await api.json<{
      ts: number;
      resolutionHz: number;
      amplitude: number[];
      band: { chosenBy: string };
      markers: { bearing: string; label: string; harmonic: number; hz: number }[];
    }>(`/v1/sensors/pump-d1.vib/envelope?at=${at}&maxHz=500`);
    expect(view.ts).toBe(start + 5 * WINDOW_MS + 2_000);
    // The machine model configures no band: the diagnosis's kurtogram chose it.
    expect(view.band.chosenBy).toBe('kurtogram');
    const marker = view.markers.find((m) => m.label === 'BPFO' && m.harmonic === 1);
    expect(marker?.bearing).toBe('6205 (drive end)');
    expect(marker?.hz).toBeCloseTo(BPFO_HZ, 6);
    expect(view.amplitude.length).toBe(Math.floor(500 / view.resolutionHz) + 1);
    // The largest bin between 50 and 500 Hz sits on BPFO or one of its harmonics.
    let best = 0;
    for (let k = Math.ceil(50 / view.resolutionHz); k < view.amplitude.length; k++) {
      if (view.amplitude[k] > view.amplitude[best]) best = k;
    }
    const order = (best * view.resolutionHz) / BPFO_HZ;
    expect(Math.abs(order - Math.round(order))).toBeLessThan(0.05);

    const missing = await api.request('GET', '/v1/sensors/nope/envelope');
    expect(missing.status).toBe(404);
    const bad = await api.request('GET', '/v1/sensors/pump-d1.vib/envelope?maxHz=-1');
    expect(bad.status).toBe(400);
  });
});
