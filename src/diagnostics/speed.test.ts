import { describe, expect, it } from 'vitest';
import { sine } from '../../test/helpers/signals.ts';
import { powerSpectrum } from '../pipeline/spectrum.ts';
import { runningSpeed, type SpeedSetting, spectralPeak } from './speed.ts';

const RATE = 12_800;
const N = 4096; // bins of 3.125 Hz

/** Deterministic uniform noise in [−a, a] (a linear congruential generator, so the test is reproducible). */
function noise(amplitude: number, n: number, seed = 7): number[] {
  let state = seed;
  return Array.from({ length: n }, () => {
    state = (1_103_515_245 * state + 12_345) % 2 ** 31;
    return amplitude * (2 * (state / 2 ** 31) - 1);
  });
}

const plus = (a: number[], b: number[]): number[] => a.map((v, i) => v + b[i]);

describe('runningSpeed from a fixed speed or a speed sensor', () => {
  it('converts a fixed rpm to Hz and says so', () => {
    expect(runningSpeed({ source: 'fixed', rpm: 1797 })).toEqual({ source: 'fixed', hz: 29.95, rpm: 1797 });
  });

  it("takes the speed sensor's latest value", () => {
    const setting: SpeedSetting = { source: 'sensor', sensorId: 'pump-2.speed' };
    expect(runningSpeed(setting, { sensorRpm: 1500 })).toEqual({ source: 'sensor', hz: 25, rpm: 1500 });
  });

  it('gives no speed, with the reason, when the sensor has no reading or reads a stopped shaft', () => {
    const setting: SpeedSetting = { source: 'sensor', sensorId: 'pump-2.speed' };
    expect(runningSpeed(setting, {})).toEqual({
      source: 'sensor',
      hz: null,
      rpm: null,
      reason: 'no reading yet from speed sensor pump-2.speed',
    });
    const stopped = runningSpeed(setting, { sensorRpm: 0 });
    expect(stopped.hz).toBeNull();
    expect(stopped).toMatchObject({ reason: 'speed sensor pump-2.speed reads 0 rpm, not a running shaft' });
    expect(runningSpeed(setting, { sensorRpm: Number.NaN }).hz).toBeNull();
  });
});

describe('runningSpeed estimated from the 1× peak', () => {
  const setting: SpeedSetting = { source: 'estimated', minHz: 10, maxHz: 60 };

  it.each([29.95, 24.71, 47.3])('finds a %s Hz tone between bins within 0.2 per cent', (hz) => {
    const values = plus(sine(1, hz, RATE, N, 0, 0.4), noise(0.05, N));
    const speed = runningSpeed(setting, { spectrum: powerSpectrum(values, RATE) });
    expect(speed.source).toBe('estimated');
    expect(Math.abs((speed.hz as number) - hz) / hz).toBeLessThan(0.002);
    expect(speed.rpm).toBeCloseTo((speed.hz as number) * 60, 9);
  });

  it('takes the strongest peak in the range, not a stronger one outside it', () => {
    // A gear-mesh tone at 700 Hz, ten times the 1×, lies outside the range; the 2× at 59.9 Hz is inside, weaker.
    const values = plus(
      plus(sine(1, 29.95, RATE, N), sine(10, 700, RATE, N)),
      sine(0.3, 59.9, RATE, N, 0, 1),
    );
    const speed = runningSpeed(setting, { spectrum: powerSpectrum(values, RATE) });
    expect(Math.abs((speed.hz as number) - 29.95) / 29.95).toBeLessThan(0.002);
  });

  it('gives no speed, with the reason, when the range holds only noise', () => {
    const speed = runningSpeed(setting, { spectrum: powerSpectrum(noise(1, N), RATE) });
    expect(speed.hz).toBeNull();
    expect(speed).toMatchObject({
      source: 'estimated',
      reason: expect.stringMatching(/dB above the median/),
    });
  });

  it('gives no speed when the only tone lies outside the range, its skirt rising past an edge', () => {
    const spectrum = powerSpectrum(sine(1, 70, RATE, N), RATE);
    const peak = spectralPeak(spectrum, 10, 60);
    expect(peak).toEqual({ reason: expect.stringMatching(/10–60 Hz/) });
  });

  it('gives no speed for a range beyond the spectrum or without a spectrum', () => {
    const spectrum = powerSpectrum(sine(1, 30, 1000, 1024), 1000);
    expect(spectralPeak(spectrum, 600, 900)).toEqual({
      reason: expect.stringMatching(/has no bin in 600–900 Hz/),
    });
    expect(runningSpeed(setting, {})).toMatchObject({
      hz: null,
      reason: 'no spectrum to estimate the speed from',
    });
  });
});

describe('runningSpeed on a bad setting', () => {
  it.each([
    ['rpm', { source: 'fixed', rpm: 0 }],
    ['rpm', { source: 'fixed', rpm: '1500' }],
    ['sensorId', { source: 'sensor', sensorId: ' ' }],
    ['minHz', { source: 'estimated', minHz: -1, maxHz: 60 }],
    ['maxHz', { source: 'estimated', minHz: 10, maxHz: 10 }],
    ['minProminenceDb', { source: 'estimated', minHz: 10, maxHz: 60, minProminenceDb: -3 }],
    ['source', { source: 'tacho' }],
  ])('throws a RangeError naming %s', (field, setting) => {
    const call = () => runningSpeed(setting as unknown as SpeedSetting, {});
    expect(call).toThrow(RangeError);
    expect(call).toThrow(new RegExp(`^${field}: `));
  });
});
