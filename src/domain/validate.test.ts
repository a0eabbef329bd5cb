import { describe, expect, it } from 'vitest';
import type { Sensor } from './types.ts';
import { MAX_RATE_HZ, parseTimestamp, RATE_TOLERANCE, validateItem } from './validate.ts';

const sensor: Sensor = {
  id: 'pump-1.temp',
  assetId: 'pump-1',
  kind: 'temperature',
  unit: '°C',
  sampleRateHz: 1000,
  validMin: -40,
  validMax: 150,
};
const vib: Sensor = { ...sensor, id: 'pump-1.vib', kind: 'vibration', sampleRateHz: 12_000 };
const variable: Sensor = { ...vib, id: 'probe.vib', rateVaries: true };
const sensors = new Map([sensor, vib, variable].map((s) => [s.id, s]));
const find = (id: string) => sensors.get(id);
const now = Date.UTC(2026, 5, 1, 12);
const limits = { maxClockSkewMs: 300_000, maxBlockSamples: 8 };
const check = (item: unknown) => validateItem(item, find, now, limits);

describe('validateItem', () => {
  it('accepts a scalar with epoch ms or ISO 8601 time', () => {
    expect(check({ sensorId: sensor.id, ts: now, value: 42.5 })).toMatchObject({
      ok: true,
      reading: { sensorId: sensor.id, ts: now, value: 42.5 },
    });
    expect(check({ sensorId: sensor.id, ts: '2026-06-01T12:00:00Z', value: 1 })).toMatchObject({
      ok: true,
      reading: { ts: now },
    });
  });

  it('accepts a sample block', () => {
    const r = check({ sensorId: sensor.id, ts: now, rateHz: 1000, values: [1, 2, 3] });
    expect(r).toMatchObject({ ok: true, reading: { rateHz: 1000, values: [1, 2, 3] } });
  });

  it.each([
    [null, 'item', 'must be an object'],
    [[1], 'item', 'must be an object'],
    [{ ts: now, value: 1 }, 'sensorId', 'is required'],
    [{ sensorId: 'nope', ts: now, value: 1 }, 'sensorId', 'unknown sensor "nope"'],
    [{ sensorId: sensor.id, value: 1 }, 'ts', 'is required'],
    [{ sensorId: sensor.id, ts: 'yesterday', value: 1 }, 'ts', 'expected ISO 8601'],
    [{ sensorId: sensor.id, ts: '2026-06-01T12:00:00', value: 1 }, 'ts', 'with a time zone'],
    [{ sensorId: sensor.id, ts: 1_780_000_000, value: 1 }, 'ts', 'looks like epoch seconds'],
    [{ sensorId: sensor.id, ts: now * 1000, value: 1 }, 'ts', 'looks like epoch microseconds'],
    [{ sensorId: sensor.id, ts: now * 1e6, value: 1 }, 'ts', 'looks like epoch nanoseconds'],
    [{ sensorId: sensor.id, ts: '2026-02-30T10:00:00Z', value: 1 }, 'ts', '2026-02 has no day 30'],
    [{ sensorId: sensor.id, ts: now + 3_600_000, value: 1 }, 'ts', '3600 s in the future'],
    [{ sensorId: 'pump-1.temp\u0000', ts: now, value: 1 }, 'sensorId', 'must not contain U+0000'],
    [{ sensorId: sensor.id, ts: now }, 'value', 'is required'],
    [{ sensorId: sensor.id, ts: now, value: '12' }, 'value', 'must be a finite number'],
    [
      { sensorId: sensor.id, ts: now, value: 151 },
      'value',
      "151 is outside the sensor's valid range [-40, 150] °C",
    ],
    [{ sensorId: sensor.id, ts: now, values: [1] }, 'rateHz', 'is required with values'],
    [{ sensorId: sensor.id, ts: now, rateHz: 0, values: [1] }, 'rateHz', 'must be a positive number'],
    [{ sensorId: sensor.id, ts: now, rateHz: 1000, values: [] }, 'values', 'non-empty array'],
    [{ sensorId: sensor.id, ts: now, rateHz: 1000, values: [1, 'x'] }, 'values[1]', 'finite number'],
    [{ sensorId: sensor.id, ts: now, rateHz: 1000, values: [1, 2, 999] }, 'values[2]', 'outside'],
    [{ sensorId: sensor.id, ts: now, rateHz: 1000, values: Array(9).fill(0) }, 'values', 'at most 8'],
    [{ sensorId: sensor.id, ts: now, rateHz: 1000, values: [1], value: 2 }, 'value', 'must not be given'],
  ])('rejects %j on %s', (item, field, reason) => {
    const r = check(item);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.reason).toContain(reason);
    }
  });

  it('refuses a block at another rate than the sensor was registered with', () => {
    const block = (sensorId: string, rateHz: number) => check({ sensorId, ts: now, rateHz, values: [1, 2] });
    expect(block(vib.id, 1e9)).toMatchObject({ ok: false, field: 'rateHz' });
    const r = block(vib.id, 1e9);
    if (!r.ok) expect(r.reason).toBe(`1000000000 Hz is above ${MAX_RATE_HZ} Hz`);
    const off = block(vib.id, 6000);
    expect(off).toMatchObject({ ok: false, field: 'rateHz' });
    if (!off.ok)
      expect(off.reason).toContain("differs from the sensor's registered 12000 Hz by more than 1 %");
    // Within the tolerance: a rate measured by the sender over the block.
    expect(block(vib.id, 12_000 * (1 + RATE_TOLERANCE))).toMatchObject({ ok: true });
    expect(block(vib.id, 12_000 * (1 - RATE_TOLERANCE))).toMatchObject({ ok: true });
    expect(block(vib.id, 12_000 * (1 + 2 * RATE_TOLERANCE))).toMatchObject({ ok: false, field: 'rateHz' });
  });

  it('takes any sane rate for a sensor registered with rateVaries', () => {
    const block = (rateHz: number, n = 2) =>
      check({ sensorId: variable.id, ts: now, rateHz, values: Array(n).fill(0) });
    expect(block(6000)).toMatchObject({ ok: true, reading: { rateHz: 6000 } });
    expect(block(MAX_RATE_HZ)).toMatchObject({ ok: true });
    expect(block(MAX_RATE_HZ * 10)).toMatchObject({ ok: false, field: 'rateHz' });
    // A rate so low that the block's last sample lies beyond the allowed skew: the rate is what is wrong.
    expect(block(1e-6, 8)).toEqual({
      ok: false,
      field: 'rateHz',
      reason: `8 values with rateHz 0.000001 from ts end at ${new Date(now + 7e9).toISOString()}, 7000000 s in the future; at most 300 s of clock skew is allowed`,
    });
    expect(block(1e-300, 8)).toEqual({
      ok: false,
      field: 'rateHz',
      reason:
        '8 values with rateHz 1e-300 from ts end 7e+300 s in the future; at most 300 s of clock skew is allowed',
    });
  });

  it("names ts when a block at the sensor's own rate ends beyond the allowed skew", () => {
    // 12 001 samples at 12 kHz span 1 s: starting 300 s ahead, the last one is 301 s ahead.
    const big = (ts: number) =>
      validateItem({ sensorId: vib.id, ts, rateHz: 12_000, values: Array(12_001).fill(0) }, find, now, {
        ...limits,
        maxBlockSamples: 20_000,
      });
    expect(big(now + 300_000)).toEqual({
      ok: false,
      field: 'ts',
      reason: `12001 values with rateHz 12000 from ts end at ${new Date(now + 301_000).toISOString()}, 301 s in the future; at most 300 s of clock skew is allowed`,
    });
    expect(big(now + 299_000).ok).toBe(true);
  });

  it('refuses a block sample that a 32-bit float cannot hold, and keeps a scalar of the same size', () => {
    const wide: Sensor = { ...vib, id: 'wide.vib', validMin: -1e300, validMax: 1e300 };
    const inWide = (item: unknown) =>
      validateItem(item, (id) => (id === wide.id ? wide : undefined), now, limits);
    expect(inWide({ sensorId: wide.id, ts: now, rateHz: 12_000, values: [1, 3.4e38, -3.4e38] }).ok).toBe(
      true,
    );
    expect(inWide({ sensorId: wide.id, ts: now, rateHz: 12_000, values: [1, 1e200] })).toMatchObject({
      ok: false,
      field: 'values[1]',
      reason: expect.stringContaining('32-bit float'),
    });
    expect(inWide({ sensorId: wide.id, ts: now, rateHz: 12_000, values: [-3.5e38] })).toMatchObject({
      ok: false,
      field: 'values[0]',
    });
    expect(inWide({ sensorId: wide.id, ts: now, value: 1e200 }).ok).toBe(true);
  });

  it('parses timestamps with offsets', () => {
    expect(parseTimestamp('2026-06-01T14:00:00+02:00')).toBe(now);
    expect(parseTimestamp(Number.NaN)).toBe('must be a finite number');
  });
});
