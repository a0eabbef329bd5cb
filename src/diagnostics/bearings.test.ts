import { describe, expect, it } from 'vitest';
import { type BearingGeometry, bearingCatalogue, catalogueBearing, defectFrequencies } from './bearings.ts';

/** Relative difference, for comparing against tables printed to 4–5 significant digits. */
const relative = (actual: number, expected: number): number => Math.abs(actual - expected) / expected;

describe('defectFrequencies against the CWRU Bearing Data Center tables', () => {
  it('gives the 6205 orders of the published table (BPFI 5.4152, BPFO 3.5848, FTF 0.39828, 2×BSF 4.7135)', () => {
    const orders = defectFrequencies(catalogueBearing('6205'), 1);
    expect(relative(orders.bpfi, 5.4152)).toBeLessThan(1e-4);
    expect(relative(orders.bpfo, 3.5848)).toBeLessThan(1e-4);
    expect(relative(orders.ftf, 0.39828)).toBeLessThan(1e-4);
    // The table's rolling-element figure is the rate a ball defect strikes the races: twice the spin frequency.
    expect(relative(2 * orders.bsf, 4.7135)).toBeLessThan(1e-4);
    expect(orders.bsf).toBeCloseTo(2.357, 3);
  });

  it('gives the 6205 at 1797 rpm in Hz (f_r = 29.95 Hz)', () => {
    const fr = 1797 / 60;
    const hz = defectFrequencies(catalogueBearing('6205'), fr);
    expect(fr).toBeCloseTo(29.95, 2);
    expect(relative(hz.bpfo, 3.585 * fr)).toBeLessThan(2e-4);
    expect(relative(hz.bpfi, 5.415 * fr)).toBeLessThan(2e-4);
    expect(relative(hz.bsf, 2.357 * fr)).toBeLessThan(2e-4);
    expect(relative(hz.ftf, 0.398 * fr)).toBeLessThan(1e-3);
    expect(hz.bpfo).toBeCloseTo(107.36, 1);
    expect(hz.bpfi).toBeCloseTo(162.19, 1);
  });

  it('gives the 6203 orders of the published table (BPFI 4.9469, BPFO 3.0530, FTF 0.3817, 2×BSF 3.9874)', () => {
    const orders = defectFrequencies(catalogueBearing('6203'), 1);
    expect(relative(orders.bpfi, 4.9469)).toBeLessThan(1e-4);
    expect(relative(orders.bpfo, 3.053)).toBeLessThan(1e-4);
    expect(relative(orders.ftf, 0.3817)).toBeLessThan(2e-4);
    expect(relative(2 * orders.bsf, 3.9874)).toBeLessThan(2e-4);
  });

  it('scales linearly with shaft speed and is zero at standstill', () => {
    const b = catalogueBearing('6205');
    const at1 = defectFrequencies(b, 1);
    const at25 = defectFrequencies(b, 25);
    for (const key of ['bpfo', 'bpfi', 'bsf', 'ftf'] as const)
      expect(at25[key]).toBeCloseTo(25 * at1[key], 10);
    expect(defectFrequencies(b, 0)).toEqual({ bpfo: 0, bpfi: 0, bsf: 0, ftf: 0 });
  });

  it('lowers BPFO and raises BPFI as the contact angle grows from 0 (cos φ shrinks d/D)', () => {
    const flat: BearingGeometry = {
      rollingElements: 10,
      ballDiameterMm: 10,
      pitchDiameterMm: 50,
      contactAngleDeg: 0,
    };
    const angled = { ...flat, contactAngleDeg: 40 };
    // With d/D = 0.2: BPFO = 5 (1 − 0.2) = 4, BPFI = 5 (1 + 0.2) = 6, FTF = 0.4, BSF = 2.5 (1 − 0.04) = 2.4.
    expect(defectFrequencies(flat, 1)).toEqual({ bpfo: 4, bpfi: 6, ftf: 0.4, bsf: 2.4 });
    const r = 0.2 * Math.cos((40 * Math.PI) / 180);
    const a = defectFrequencies(angled, 1);
    expect(a.bpfo).toBeCloseTo(5 * (1 - r), 12);
    expect(a.bpfi).toBeCloseTo(5 * (1 + r), 12);
  });
});

describe('bearingCatalogue', () => {
  it.each(Object.entries(bearingCatalogue))('%s is physical and cites its source', (_, b) => {
    const orders = defectFrequencies(b, 1);
    // BPFO + BPFI = n (the elements pass each race once per relative revolution); FTF = BPFO / n.
    expect(orders.bpfo + orders.bpfi).toBeCloseTo(b.rollingElements, 10);
    expect(orders.ftf).toBeCloseTo(orders.bpfo / b.rollingElements, 12);
    expect(orders.ftf).toBeGreaterThan(0.3);
    expect(orders.ftf).toBeLessThan(0.5);
    expect(orders.bpfo).toBeLessThan(orders.bpfi);
    expect(b.ballDiameterMm / b.pitchDiameterMm).toBeLessThan(0.5);
    expect(b.source.length).toBeGreaterThan(20);
    expect(b.description.length).toBeGreaterThan(5);
  });

  it('finds designations whatever their case and surrounding spaces', () => {
    expect(catalogueBearing(' uer204 ')).toBe(bearingCatalogue.UER204);
  });

  it('names the designation and the known ones when it is missing', () => {
    expect(() => catalogueBearing('22220')).toThrow(RangeError);
    expect(() => catalogueBearing('22220')).toThrow(
      'designation: "22220" is not in the catalogue (6203, 6205, UER204); give the geometry instead',
    );
    expect(() => catalogueBearing('constructor')).toThrow(/designation/);
  });
});

describe('defectFrequencies on bad input', () => {
  const good: BearingGeometry = {
    rollingElements: 9,
    ballDiameterMm: 8,
    pitchDiameterMm: 39,
    contactAngleDeg: 0,
  };

  it.each([
    ['rollingElements', { rollingElements: 2.5 }],
    ['rollingElements', { rollingElements: 2 }],
    ['ballDiameterMm', { ballDiameterMm: 0 }],
    ['ballDiameterMm', { ballDiameterMm: Number.NaN }],
    ['ballDiameterMm', { ballDiameterMm: '8' }],
    ['pitchDiameterMm', { pitchDiameterMm: 8 }],
    ['pitchDiameterMm', { pitchDiameterMm: Number.POSITIVE_INFINITY }],
    ['contactAngleDeg', { contactAngleDeg: -1 }],
    ['contactAngleDeg', { contactAngleDeg: 90 }],
    ['contactAngleDeg', { contactAngleDeg: '10' }],
  ])('throws a RangeError naming %s', (field, change) => {
    const bad = { ...good, ...change } as unknown as BearingGeometry;
    expect(() => defectFrequencies(bad, 30)).toThrow(RangeError);
    expect(() => defectFrequencies(bad, 30)).toThrow(new RegExp(`^${field}: `));
  });

  it('throws a RangeError naming bearing for a missing geometry, and shaftHz for a bad speed', () => {
    expect(() => defectFrequencies(null as unknown as BearingGeometry, 30)).toThrow(/^bearing: /);
    expect(() => defectFrequencies(good, -1)).toThrow(/^shaftHz: /);
    expect(() => defectFrequencies(good, Number.NaN)).toThrow(/^shaftHz: /);
  });
});
