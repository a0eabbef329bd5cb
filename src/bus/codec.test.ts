import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeJson } from './codec.ts';

const envelope = (readings: unknown[]) => encodeJson({ assetId: 'pump-1', readings });

describe('decodeEnvelope', () => {
  it('decodes scalar readings and sample blocks', () => {
    const readings = [
      { sensorId: 'pump-1.temp', ts: 1_700_000_000_000, value: 61.5 },
      { sensorId: 'pump-1.vib', ts: 1_700_000_000_000, rateHz: 5120, values: [0.1, -0.2] },
    ];
    expect(decodeEnvelope(envelope(readings))).toEqual({ assetId: 'pump-1', readings });
  });

  it.each([
    [{ readings: [] }, 'not a reading envelope: assetId and readings are required'],
    [{ assetId: 'pump-1' }, 'not a reading envelope: assetId and readings are required'],
    [{ assetId: 'pump-1', readings: [null] }, 'not a reading envelope: readings[0]: must be an object'],
    [
      { assetId: 'pump-1', readings: [{ ts: 1, value: 1 }] },
      'readings[0].sensorId: must be a non-empty string',
    ],
    [
      { assetId: 'pump-1', readings: [{ sensorId: 's', ts: '2026-01-01', value: 1 }] },
      'readings[0].ts: must be a finite number (epoch ms)',
    ],
    [
      { assetId: 'pump-1', readings: [{ sensorId: 's', ts: 1 }] },
      'readings[0].value: must be a finite number',
    ],
    [
      { assetId: 'pump-1', readings: [{ sensorId: 's', ts: 1, value: null }] },
      'readings[0].value: must be a finite number',
    ],
    [
      { assetId: 'pump-1', readings: [{ sensorId: 's', ts: 1, rateHz: 0, values: [1] }] },
      'readings[0].rateHz: must be a positive number',
    ],
    [
      { assetId: 'pump-1', readings: [{ sensorId: 's', ts: 1, rateHz: 10, values: [] }] },
      'readings[0].values: must be a non-empty array',
    ],
    [
      {
        assetId: 'pump-1',
        readings: [
          { sensorId: 's', ts: 1, value: 1 },
          { sensorId: 's', ts: 2, rateHz: 10, values: [1, null] },
        ],
      },
      'readings[1].values[1]: must be a finite number',
    ],
  ])('refuses %j naming the field', (value, message) => {
    expect(() => decodeEnvelope(encodeJson(value))).toThrow(message);
  });

  it('refuses bytes that are not JSON', () => {
    expect(() => decodeEnvelope(new TextEncoder().encode('{"assetId":'))).toThrow(SyntaxError);
  });
});
