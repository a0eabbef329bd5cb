import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeView } from '../src/api/envelope.ts';
import type { MantisApp } from '../src/app/app.ts';
import { bearingCatalogue, defectFrequencies } from '../src/diagnostics/bearings.ts';
import { diagnoseBlock } from '../src/diagnostics/diagnosis.ts';
import { synthesizeVibration } from '../src/simulator/vibration-faults.ts';
import { bodyOf, type Client, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

const RPM = 1797;
const SHAFT_HZ = RPM / 60;
const BEARINGS = [{ designation: '6205', location: 'drive end' }];

/** An outer-race fault on the 6205 at 1797 rpm, as stored: raw blocks keep samples as 32-bit floats. */
function block(rateHz: number, samples: number, seed: number, resonanceHz = 3000): Float32Array {
  const values = synthesizeVibration({
    rateHz,
    samples,
    startSeconds: 0,
    shaftHz: SHAFT_HZ,
    bearing: bearingCatalogue['6205'],
    fault: 'outer-race',
    severity: 0.7,
    resonanceHz,
    seed,
  });
  return Float32Array.from(values);
}

const vibration = (id: string, sampleRateHz: number) => ({
  id,
  kind: 'vibration',
  unit: 'm/s²',
  sampleRateHz,
  validMin: -1000,
  validMax: 1000,
  bearings: BEARINGS,
});

describe('the envelope view of a stored block', () => {
  it('serves the kurtogram band and no markers when the stored machine model cannot be diagnosed, saying why', () => {
    const values = block(12_800, 4096, 11);
    const machine = { speed: { source: 'fixed' as const, rpm: RPM }, bearings: [{ designation: '6309' }] };
    const view = envelopeView({ ts: 0, rateHz: 12_800, values }, machine, 500);
    expect(view.diagnosisSkipped).toContain('"6309" is not in the catalogue');
    expect([view.band.chosenBy, view.markers, view.speed, view.diagnoses]).toEqual([
      'kurtogram',
      [],
      null,
      [],
    ]);
    expect(view.amplitude.length).toBe(Math.floor(500 / view.resolutionHz) + 1);
  });
});

describe.each(engines)('GET /v1/sensors/{id}/envelope, on $name', (engine) => {
  let app: MantisApp;
  let api: Client;
  let stop: () => Promise<void>;
  const ts = Date.now() - 120_000;
  const fast = block(12_800, 4096, 21);
  const slow = block(1500, 4096, 22, 600);

  /** The envelope of a sensor once its block is stored (404 until then). */
  async function envelopeOf(
    sensorId: string,
    ready: (body: { speed?: { hz: number | null } }) => boolean = () => true,
  ) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await api.request('GET', `/v1/sensors/${sensorId}/envelope?maxHz=500`);
      const body = await bodyOf(response);
      if ((response.status !== 404 && ready(body)) || Date.now() > deadline)
        return { status: response.status, body };
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    api = client(app);
    const asset = (id: string, machine: unknown, sensors: unknown[]) =>
      api.request('PUT', `/v1/assets/${id}`, {
        siteId: 'ee-plant',
        lineId: 'ee-line',
        name: id,
        kind: 'pump',
        machine,
        sensors,
      });
    const severity = { group: 2, foundation: 'rigid' };
    const puts = await Promise.all([
      asset('ee-pump', { speed: { source: 'sensor', sensorId: 'ee-pump.speed' }, severity }, [
        vibration('ee-pump.vib', 12_800),
        // A tachometer giving the shaft frequency in Hz.
        { id: 'ee-pump.speed', kind: 'speed', unit: 'Hz', sampleRateHz: 1, validMin: 0, validMax: 500 },
        {
          id: 'ee-pump.temp',
          kind: 'temperature',
          unit: 'degC',
          sampleRateHz: 1,
          validMin: -50,
          validMax: 200,
        },
      ]),
      asset('ee-slow', { speed: { source: 'fixed', rpm: RPM }, severity }, [vibration('ee-slow.vib', 1500)]),
      asset('ee-short', { speed: { source: 'fixed', rpm: RPM } }, [vibration('ee-short.vib', 12_800)]),
    ]);
    for (const put of puts) expect(put.status, await put.clone().text()).toBe(200);
    const sent = await api.request('POST', '/v1/readings', [
      { sensorId: 'ee-pump.speed', ts: ts - 1000, value: SHAFT_HZ },
      { sensorId: 'ee-pump.temp', ts, value: 41.5 },
      { sensorId: 'ee-pump.vib', ts, rateHz: 12_800, values: Array.from(fast) },
      { sensorId: 'ee-slow.vib', ts, rateHz: 1500, values: Array.from(slow) },
      { sensorId: 'ee-short.vib', ts, rateHz: 12_800, values: Array.from(fast.subarray(0, 32)) },
    ]);
    expect(sent.status).toBe(202);
  }, 60_000);

  afterAll(async () => {
    await stop?.();
  });

  it('reads a speed sensor in Hz as the shaft frequency, and reports the band as the kurtogram chose it', async () => {
    const { status, body } = await envelopeOf('ee-pump.vib', (b) => b.speed?.hz !== null);
    expect(status).toBe(200);
    expect(body.speed).toEqual({
      source: 'sensor',
      hz: expect.closeTo(SHAFT_HZ, 4),
      rpm: expect.closeTo(RPM, 2),
    });
    // The same block diagnosed here, with the speed given as the fixed rpm the Hz reading stands for.
    const expected = diagnoseBlock(fast, 12_800, {
      speed: { source: 'fixed', rpm: RPM },
      bearings: BEARINGS,
      unit: 'm/s²',
    });
    expect(expected.band?.chosenBy).toBe('kurtogram');
    expect(body.band).toEqual({
      lowHz: expected.band?.lowHz,
      highHz: expected.band?.highHz,
      chosenBy: 'kurtogram',
    });
    const bpfo = body.markers.find(
      (m: { label: string; harmonic: number }) => m.label === 'BPFO' && m.harmonic === 1,
    );
    expect(bpfo.hz).toBeCloseTo(defectFrequencies(bearingCatalogue['6205'], SHAFT_HZ).bpfo, 3);
    expect(body.diagnoses.map((d: { fault: string }) => d.fault)).toContain('outer-race');
    expect(body.diagnosisSkipped).toBeUndefined();
  });

  it('serves a block sampled at 1500 Hz of a machine with an ISO class, with its markers', async () => {
    const { status, body } = await envelopeOf('ee-slow.vib');
    expect(status).toBe(200);
    const expected = diagnoseBlock(slow, 1500, {
      speed: { source: 'fixed', rpm: RPM },
      bearings: BEARINGS,
      unit: 'm/s²',
    });
    expect(body.band).toEqual({
      lowHz: expected.band?.lowHz,
      highHz: expected.band?.highHz,
      chosenBy: 'kurtogram',
    });
    expect(body.speed).toEqual({ source: 'fixed', hz: SHAFT_HZ, rpm: RPM });
    expect(body.markers.length).toBeGreaterThan(0);
    expect(body.diagnosisSkipped).toBeUndefined();
  });

  it('answers 409 for a scalar sensor, saying it is not a vibration sensor', async () => {
    const response = await api.request('GET', '/v1/sensors/ee-pump.temp/envelope');
    expect([response.status, await bodyOf(response)]).toEqual([
      409,
      {
        error: 'conflict',
        message:
          "sensor ee-pump.temp is a temperature sensor, not a vibration sensor: an envelope spectrum is computed from a vibration sensor's sample blocks",
      },
    ]);
  });

  it('answers 409, not 400, when the stored block is too short for an envelope spectrum', async () => {
    const { status, body } = await envelopeOf('ee-short.vib');
    expect(status).toBe(409);
    // The reason after the colon is the envelope core's own message.
    expect(body.message).toMatch(
      new RegExp(
        `^the latest block of sensor ee-short\\.vib \\(32 samples at 12800 Hz, ts ${ts}\\) has no envelope spectrum: .*at least 64 samples`,
      ),
    );
  });
});
