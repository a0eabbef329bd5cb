import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amplitudeSpectrum } from '../src/api/spectrum.ts';
import type { MantisApp } from '../src/app/app.ts';
import { bodyOf, type Client, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

const RATE = 12_800;
const N = 4096;
/** Bin spacing at 12.8 kHz over 4096 samples: 3.125 Hz. */
const RESOLUTION = RATE / N;
/** Two tones centred on bins (100 Hz = bin 32, 1000 Hz = bin 320), 2 and 0.5 m/s², on an offset of 9.81. */
const tones = (n = N) =>
  Array.from(
    { length: n },
    (_, i) =>
      9.81 + 2 * Math.sin((2 * Math.PI * 100 * i) / RATE) + 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE),
  );

describe('the amplitude spectrum of a block', () => {
  it('reads a tone centred on a bin as its own amplitude, with the mean removed', () => {
    const s = amplitudeSpectrum(tones(), RATE, RATE);
    expect(s.resolutionHz).toBe(RESOLUTION);
    expect(s.amplitude).toHaveLength(N / 2 + 1);
    expect(s.amplitude[32]).toBeCloseTo(2, 6);
    expect(s.amplitude[320]).toBeCloseTo(0.5, 6);
    // Hann leaks into the two neighbours by half the coherent gain, nowhere else.
    expect(s.amplitude[31]).toBeCloseTo(1, 6);
    expect(s.amplitude[100]).toBeLessThan(1e-9);
    expect(s.amplitude[0]).toBeLessThan(1e-9);
    expect(s.dominantHz).toBeCloseTo(100, 6);
  });

  it('stops at maxHz and refuses a block too short or not finite, naming the field', () => {
    expect(amplitudeSpectrum(tones(), RATE, 500).amplitude).toHaveLength(Math.floor(500 / RESOLUTION) + 1);
    expect(() => amplitudeSpectrum(tones(7), RATE, 500)).toThrow(
      'values: at least 8 samples are needed, got 7',
    );
    expect(() => amplitudeSpectrum([...tones(8).slice(0, 7), Number.NaN], RATE, 500)).toThrow(
      'values.7: expected a finite number, got NaN',
    );
    expect(() => amplitudeSpectrum(tones(8), 0, 500)).toThrow(
      'rateHz: expected a positive rate in Hz, got 0',
    );
  });
});

describe.each(engines)('GET /v1/sensors/{id}/spectrum, on $name', (engine) => {
  let app: MantisApp;
  let api: Client;
  let stop: () => Promise<void>;
  const ts = Date.now() - 120_000;

  /** The spectrum of a sensor once its latest block is stored (404 until then). */
  async function spectrumOf(sensorId: string, query = '') {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await api.request('GET', `/v1/sensors/${sensorId}/spectrum${query}`);
      const body = await bodyOf(response);
      if (response.status !== 404 || Date.now() > deadline) return { status: response.status, body };
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    ({ app, stop } = await engine.start({ 'pipeline.bandEdgesHz': '0,200,2000,6400' }));
    api = client(app);
    const vibration = (sensorId: string) => ({
      id: sensorId,
      kind: 'vibration',
      unit: 'm/s²',
      sampleRateHz: RATE,
      validMin: -1000,
      validMax: 1000,
    });
    const put = await api.request('PUT', '/v1/assets/sp-pump', {
      siteId: 'sp-plant',
      lineId: 'sp-line',
      name: 'Spectrum pump',
      kind: 'pump',
      sensors: [
        vibration('sp-pump.vib'),
        vibration('sp-pump.short'),
        vibration('sp-pump.quiet'),
        {
          id: 'sp-pump.temp',
          kind: 'temperature',
          unit: '°C',
          sampleRateHz: 1,
          validMin: -50,
          validMax: 200,
        },
      ],
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const sent = await api.request('POST', '/v1/readings', [
      // An older block of another shape: the latest one is served, the older one with `at`.
      { sensorId: 'sp-pump.vib', ts: ts - 60_000, rateHz: RATE, values: tones(1024) },
      { sensorId: 'sp-pump.vib', ts, rateHz: RATE, values: tones() },
      { sensorId: 'sp-pump.short', ts, rateHz: RATE, values: tones(4) },
      { sensorId: 'sp-pump.temp', ts, value: 41.5 },
    ]);
    expect(sent.status).toBe(202);
  }, 60_000);

  afterAll(async () => {
    await stop?.();
  });

  it("serves the latest block's amplitude spectrum with its unit, rate and the configured band edges", async () => {
    const { status, body } = await spectrumOf('sp-pump.vib', '?maxHz=1500');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(
      [
        'amplitude',
        'bandEdgesHz',
        'dominantHz',
        'rateHz',
        'resolutionHz',
        'samples',
        'sensorId',
        'ts',
        'unit',
      ].sort(),
    );
    expect(body).toMatchObject({
      sensorId: 'sp-pump.vib',
      unit: 'm/s²',
      ts,
      rateHz: RATE,
      samples: N,
      resolutionHz: RESOLUTION,
      bandEdgesHz: [0, 200, 2000, 6400],
    });
    expect(body.amplitude).toHaveLength(Math.floor(1500 / RESOLUTION) + 1);
    // Raw blocks are stored as 32-bit floats: amplitudes to about 1e-5.
    expect(body.amplitude[32]).toBeCloseTo(2, 4);
    expect(body.amplitude[320]).toBeCloseTo(0.5, 4);
    expect(body.dominantHz).toBeCloseTo(100, 3);
  });

  it('serves the block at or before `at`, and 404 when the day before `at` has none', async () => {
    await spectrumOf('sp-pump.vib');
    const older = await spectrumOf('sp-pump.vib', `?at=${ts - 1}`);
    expect([older.status, older.body.ts, older.body.samples]).toEqual([200, ts - 60_000, 1024]);
    // Default maxHz 5000 Hz, at 12.5 Hz per bin over 1024 samples.
    expect(older.body.amplitude).toHaveLength(401);
    const before = await api.request(
      'GET',
      `/v1/sensors/sp-pump.vib/spectrum?at=${new Date(ts - 61_000).toISOString()}`,
    );
    expect(before.status).toBe(404);
    expect((await bodyOf(before)).message).toBe(
      `sensor sp-pump.vib has no sample block in the day before ${ts - 61_000}`,
    );
  });

  it('answers 404 for an unknown sensor or one that has sent no block', async () => {
    const unknown = await api.request('GET', '/v1/sensors/sp-nope.vib/spectrum');
    expect([unknown.status, await bodyOf(unknown)]).toEqual([
      404,
      { error: 'not_found', message: 'sensor sp-nope.vib not found' },
    ]);
    expect((await api.request('GET', '/v1/sensors/sp-pump.quiet/spectrum')).status).toBe(404);
  });

  it('answers 409 for a scalar sensor and for a block too short, saying why', async () => {
    const scalar = await api.request('GET', '/v1/sensors/sp-pump.temp/spectrum');
    expect([scalar.status, await bodyOf(scalar)]).toEqual([
      409,
      {
        error: 'conflict',
        message:
          "sensor sp-pump.temp is a temperature sensor, not a vibration sensor: a spectrum is computed from a vibration sensor's sample blocks",
      },
    ]);
    const short = await spectrumOf('sp-pump.short');
    expect(short.status).toBe(409);
    expect(short.body.message).toBe(
      `the latest block of sensor sp-pump.short (4 samples at ${RATE} Hz, ts ${ts}) has no spectrum: values: at least 8 samples are needed, got 4`,
    );
  });

  it('refuses a bad query, naming the field', async () => {
    for (const [query, field] of [
      ['?maxHz=0', 'querystring.maxHz'],
      ['?at=yesterday', 'querystring.at'],
      ['?window=1', 'querystring'],
    ]) {
      const response = await api.request('GET', `/v1/sensors/sp-pump.vib/spectrum${query}`);
      const body = await bodyOf(response);
      expect([response.status, body.error], query).toEqual([400, 'invalid_request']);
      expect(body.field ?? body.message, query).toContain(field);
    }
  });
});
