import { describe, expect, it } from 'vitest';
import type { Sensor } from './types.ts';
import { parseTimestamp, validateItem } from './validate.ts';

const sensor: Sensor = {
  id: 'pump-1.temp',
  assetId: 'pump-1',
  kind: 'temperature',
  unit: '°C',
  sampleRateHz: 1,
  validMin: -40,
  validMax: 150,
};
const find = (id: string) => (id === sensor.id ? sensor : undefined);
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
    [{ sensorId: sensor.id, ts: 1_780_000_000, value: 1 }, 'ts', 'before 2000-01-01'],
    [{ sensorId: sensor.id, ts: now + 3_600_000, value: 1 }, 'ts', '3600 s in the future'],
    [{ sensorId: sensor.id, ts: now }, 'value', 'is required'],
    [{ sensorId: sensor.id, ts: now, value: '12' }, 'value', 'must be a finite number'],
    [
      { sensorId: sensor.id, ts: now, value: 151 },
      'value',
      "151 is outside the sensor's valid range [-40, 150] °C",
    ],
    [{ sensorId: sensor.id, ts: now, values: [1] }, 'rateHz', 'is required with values'],
    [{ sensorId: sensor.id, ts: now, rateHz: 0, values: [1] }, 'rateHz', 'must be a positive number'],
    [{ sensorId: sensor.id, ts: now, rateHz: 10, values: [] }, 'values', 'non-empty array'],
    [{ sensorId: sensor.id, ts: now, rateHz: 10, values: [1, 'x'] }, 'values[1]', 'finite number'],
    [{ sensorId: sensor.id, ts: now, rateHz: 10, values: [1, 2, 999] }, 'values[2]', 'outside'],
    [{ sensorId: sensor.id, ts: now, rateHz: 10, values: Array(9).fill(0) }, 'values', 'at most 8'],
    [{ sensorId: sensor.id, ts: now, rateHz: 10, values: [1], value: 2 }, 'value', 'must not be given'],
  ])('rejects %j on %s', (item, field, reason) => {
    const r = check(item);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.reason).toContain(reason);
    }
  });

  it('parses timestamps with offsets', () => {
    expect(parseTimestamp('2026-06-01T14:00:00+02:00')).toBe(now);
    expect(parseTimestamp(Number.NaN)).toBe('must be a finite number');
  });
});
