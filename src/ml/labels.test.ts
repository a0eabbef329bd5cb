import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.ts';
import { type ClosedFinding, labelCovers, labelsFromFindings } from './labels.ts';

const T = Date.UTC(2026, 4, 4, 12);
const H = 3_600_000;

const finding = (over: Partial<ClosedFinding>): ClosedFinding => ({
  workOrderId: 'wo-1',
  assetId: 'pump-1',
  sensorId: 'pump-1.vib',
  cause: 'vibration-anomaly',
  confirmedCause: 'outer-race',
  raisedAt: T,
  closedAt: T + 2 * H,
  closedBy: 'ana',
  ...over,
});

describe('labels from work-order findings', () => {
  it('labels from the horizon before the order was raised to its closing, sorted by asset, sensor, start', () => {
    const labels = labelsFromFindings(
      [
        finding({
          workOrderId: 'a',
          assetId: 'pump-2',
          confirmedCause: 'no-fault-found',
          sensorId: 'pump-2.vib',
        }),
        finding({ workOrderId: 'b', sensorId: null, confirmedCause: 'other:worn belt', raisedAt: T - H }),
        finding({ workOrderId: 'c', raisedAt: T + H, closedAt: T + H }),
      ],
      { horizonMs: 24 * H },
    );
    expect(labels).toEqual([
      { assetId: 'pump-1', from: T - 25 * H, to: T + 2 * H, fault: 'other:worn belt' },
      { assetId: 'pump-1', sensorId: 'pump-1.vib', from: T - 23 * H, to: T + H, fault: 'outer-race' },
      { assetId: 'pump-2', sensorId: 'pump-2.vib', from: T - 24 * H, to: T + 2 * H, fault: 'no-fault-found' },
    ]);
    expect(labelsFromFindings([finding({})], { horizonMs: 0 })).toEqual([
      { assetId: 'pump-1', sensorId: 'pump-1.vib', from: T, to: T + 2 * H, fault: 'outer-race' },
    ]);
    expect(labelsFromFindings([], { horizonMs: H })).toEqual([]);
  });

  it('refuses a bad horizon or a finding that is not one, naming the field', () => {
    const refusal = (orders: ClosedFinding[], horizonMs: number) => {
      try {
        labelsFromFindings(orders, { horizonMs });
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).message;
      }
      return 'accepted';
    };
    expect(refusal([], -1)).toBe('horizonMs: must be a finite number of milliseconds ≥ 0, got -1');
    expect(refusal([], Number.NaN)).toBe('horizonMs: must be a finite number of milliseconds ≥ 0, got NaN');
    expect(refusal([finding({}), finding({ closedAt: T - 1 })], H)).toBe(
      `orders.1.closedAt: ${T - 1} is before the order was raised (${T})`,
    );
    expect(refusal([finding({ raisedAt: Number.POSITIVE_INFINITY })], H)).toBe(
      'orders.0.raisedAt: must be a finite epoch ms, got Infinity',
    );
    expect(refusal([finding({ confirmedCause: 'bearing' })], H)).toMatch(
      /^orders\.0\.confirmedCause: "bearing" is not a finding: must be one of outer-race, /,
    );
  });

  it('reaches the windows of its asset and sensor that overlap its interval', () => {
    const [bySensor] = labelsFromFindings([finding({})], { horizonMs: H });
    const [byAsset] = labelsFromFindings([finding({ sensorId: null })], { horizonMs: H });
    const window = (sensorId: string, windowStart: number) => ({
      assetId: 'pump-1',
      sensorId,
      windowStart,
      windowEnd: windowStart + 10_000,
    });
    // The interval is [T − 1 h, T + 2 h): a window ending at its start or starting at its end is outside.
    expect(labelCovers(bySensor, window('pump-1.vib', T - H - 10_000))).toBe(false);
    expect(labelCovers(bySensor, window('pump-1.vib', T - H - 9_999))).toBe(true);
    expect(labelCovers(bySensor, window('pump-1.vib', T + 2 * H - 1))).toBe(true);
    expect(labelCovers(bySensor, window('pump-1.vib', T + 2 * H))).toBe(false);
    expect(labelCovers(bySensor, window('pump-1.temp', T))).toBe(false);
    expect(labelCovers(byAsset, window('pump-1.temp', T))).toBe(true);
    expect(labelCovers(byAsset, { ...window('pump-1.vib', T), assetId: 'pump-2' })).toBe(false);
  });
});
