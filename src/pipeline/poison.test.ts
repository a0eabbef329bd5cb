import { describe, expect, it } from 'vitest';
import { BusFullError } from '../bus/port.ts';
import type { WindowFeatures } from '../domain/types.ts';
import { classifyDatabaseError } from '../storage/postgres/errors.ts';
import { rowsOfUnits, unitsOf, writeFailureJudge } from './poison.ts';

describe('the writer’s judge of failures', () => {
  const classifyWriteFailure = writeFailureJudge([{ classify: classifyDatabaseError }]);

  it('retries a row whose daily partition another process dropped: the retry makes it again', () => {
    const err = Object.assign(new Error('no partition of relation "raw_readings" found for row'), {
      code: '23514',
    });
    expect(classifyWriteFailure(err)).toMatchObject({
      kind: 'transient',
      code: '23514',
      message: err.message,
    });
  });

  it('judges bus sends by the bus, database writes by the database', () => {
    expect(classifyWriteFailure(new BusFullError('mantis.readings.dlq.v1')).kind).toBe('transient');
    const refused = Object.assign(new Error('new row violates check constraint "c"'), { code: '23514' });
    expect(classifyWriteFailure(refused).kind).toBe('record');
  });
});

describe('units of a batch', () => {
  it('give back the same rows, each window bringing its series’ progress to the latest end', () => {
    const window = (sensorId: string, windowStart: number) =>
      ({ assetId: 'pump-1', sensorId, windowStart, windowEnd: windowStart + 10_000 }) as WindowFeatures;
    const rows = {
      scalars: [{ sensorId: 'pump-1.temp', ts: 1, value: 2 }],
      blocks: [{ sensorId: 'pump-1.vib', ts: 1, rateHz: 10, values: [1, 2] }],
      features: [window('pump-1.temp', 20_000), window('pump-1.temp', 10_000), window('pump-1.vib', 0)],
      actions: [{ kind: 'clear' as const, assetId: 'pump-1', sensorId: 'pump-1.temp', at: 5 }],
      progress: new Map(),
      assetHealth: new Map([['pump-1', 70]]),
    };
    const units = unitsOf(rows);
    expect(units.map((u) => u.kind)).toEqual([
      'reading',
      'reading',
      'window',
      'window',
      'window',
      'alert',
      'health',
    ]);
    expect(rowsOfUnits(units)).toEqual({
      ...rows,
      progress: new Map([
        ['pump-1\u0000pump-1.temp', ['pump-1', 'pump-1.temp', 30_000]],
        ['pump-1\u0000pump-1.vib', ['pump-1', 'pump-1.vib', 10_000]],
      ]),
    });
  });
});
