import { describe, expect, it } from 'vitest';
import { synthesizeVibration, type VibrationFault } from '../simulator/vibration-faults.ts';
import { type BearingGeometry, bearingCatalogue, defectFrequencies } from './bearings.ts';
import { type BlockDiagnosis, diagnoseBlock, type MachineModel } from './diagnosis.ts';
import { velocityRms } from './severity.ts';
import { orderResolved } from './shaft-faults.ts';

const BEARING = bearingCatalogue['6205'];

const machineAt = (rpm: number): MachineModel => ({
  speed: { source: 'fixed', rpm },
  bearings: [{ designation: '6205' }],
  severity: { group: 2, foundation: 'rigid' },
});

function block(
  rateHz: number,
  samples: number,
  rpm: number,
  seed: number,
  fault: VibrationFault = 'healthy',
) {
  return synthesizeVibration({
    rateHz,
    samples,
    startSeconds: seed,
    shaftHz: rpm / 60,
    bearing: BEARING,
    fault,
    severity: fault === 'healthy' ? 0 : 0.6,
    seed,
    resonanceHz: Math.min(3000, rateHz / 4),
  });
}

const named = (d: BlockDiagnosis) => d.diagnoses.map((x) => x.fault);
const reasonOf = (d: BlockDiagnosis, rule: string) => d.declined.find((x) => x.rule === rule)?.reason;
/** R.m.s. velocity of a 1× of amplitude a m/s² at f Hz, mm/s: a / √2 / (2πf). */
const orderVelocity = (a: number, hz: number) => (a / Math.SQRT2 / (2 * Math.PI * hz)) * 1000;

describe('shaft orders the block does not resolve', () => {
  it('separates orders by at least 4 bins beyond a ±1-bin search (window + 3 in general)', () => {
    // 1200 rpm at 12.8 kHz × 4096: 20 Hz is 6.4 bins of 3.125 Hz; the half orders are 3.2 bins from 1×.
    expect(orderResolved(1, 1, 6.4)).toBe(true);
    expect(orderResolved(0.5, 0.5, 6.4)).toBe(false);
    expect(orderResolved(0.5, 0.5, 8)).toBe(true);
    expect(orderResolved(0.5, 0.5, 7.99)).toBe(false);
    // 9.5× of a 9.58-bin shaft: a search of ±1.82 bins needs 4.82 bins, and 0.5 × 9.58 = 4.79.
    expect(orderResolved(9.5, 0.5, 9.58)).toBe(false);
    expect(orderResolved(6.5, 0.5, 9.58)).toBe(true);
  });

  it.each([
    [12_800, 4096, [300, 600, 1000, 1200]],
    [25_600, 8192, [300, 600, 1000, 1200]],
    [5120, 2048, [300, 600]],
  ])(
    'names no looseness, misalignment or bearing defect on healthy blocks at %s Hz × %s',
    (rate, n, speeds) => {
      for (const rpm of speeds) {
        for (let seed = 1; seed <= 10; seed++) {
          const d = diagnoseBlock(block(rate, n, rpm, seed), rate, machineAt(rpm));
          expect(
            named(d).filter((f) => f !== 'imbalance'),
            `${rpm} rpm, seed ${seed}`,
          ).toEqual([]);
          // Every machine has a 1× of 0.3 m/s²: at a slow shaft that is a large velocity, and imbalance by rule.
          const imbalance = d.diagnoses.find((x) => x.fault === 'imbalance');
          if (imbalance) {
            expect(imbalance.evidence.velocity1xMmPerS / orderVelocity(0.3, rpm / 60)).toBeCloseTo(1, 1);
          }
          const shaftBins = rpm / 60 / (rate / n);
          if (shaftBins < 4) expect(reasonOf(d, 'shaft')).toMatch(/^shaft orders unresolved/);
          else if (shaftBins / 2 < 4) {
            expect(reasonOf(d, 'half-orders')).toMatch(
              /^half orders unresolved: 0\.5× .* bins of .* Hz apart, 4 needed; looseness judged on harmonics alone$/,
            );
          }
        }
      }
    },
  );

  it('skips the shaft faults of a shaft slower than 4 bins, and says why', () => {
    for (const rpm of [30, 60, 100, 200]) {
      for (let seed = 1; seed <= 10; seed++) {
        const d = diagnoseBlock(block(12_800, 4096, rpm, seed), 12_800, machineAt(rpm));
        expect(d.diagnoses, `${rpm} rpm, seed ${seed}`).toEqual([]);
        expect(reasonOf(d, 'shaft')).toMatch(
          /^shaft orders unresolved: 1× .*, 4 needed \(a shaft of at least 12\.5 Hz/,
        );
      }
    }
  });

  it('reads no evidence at an absurdly slow fixed speed', () => {
    const d = diagnoseBlock(block(12_800, 4096, 1797, 3), 12_800, machineAt(0.0001));
    expect(d.diagnoses).toEqual([]);
    expect(reasonOf(d, 'shaft')).toMatch(/^shaft orders unresolved/);
    // Bearing defects at 10⁻⁵ Hz are below the envelope spectrum's first bin.
    for (const rule of ['bpfo', 'bpfi', 'rollingElement', 'ftf']) {
      expect(reasonOf(d, rule)).toMatch(/bins of 3\.125 Hz from DC/);
    }
  });

  it('says why nothing is looked for at 1 000 000 rpm: orders and defects beyond what the block shows', () => {
    const d = diagnoseBlock(block(12_800, 4096, 1797, 3), 12_800, machineAt(1_000_000));
    expect(d.diagnoses).toEqual([]);
    expect(reasonOf(d, 'shaft')).toMatch(/^shaft orders beyond the spectrum: 2× \(3\.333e\+4 Hz\)/);
    expect(d.bearings[0].features.every((f) => f.harmonics.length === 0)).toBe(true);
    const ftf = defectFrequencies(BEARING, 1_000_000 / 60).ftf;
    expect(reasonOf(d, 'ftf')).toBe(
      `FTF (${ftf.toPrecision(4)} Hz) lies beyond what the envelope of the ${d.band?.lowHz.toPrecision(4)} Hz–${d.band?.highHz.toPrecision(4)} Hz band shows (up to ${((d.band?.highHz ?? 0) - (d.band?.lowHz ?? 0)).toPrecision(4)} Hz)`,
    );
  });

  it('counts only the orders within the ISO band in the 1×–2× velocity', () => {
    // 100 rpm, resolved by 8192 samples at 2560 Hz (bins of 0.3125 Hz, 1× 5.3 bins): 1× at 1.67 Hz lies below
    // the 2 Hz edge of a machine under 600 rpm, 2× at 3.33 Hz within it.
    const rate = 2560;
    const d = diagnoseBlock(block(rate, 8192, 100, 4, 'misalignment'), rate, machineAt(100));
    const misalignment = d.diagnoses.find((x) => x.fault === 'misalignment');
    if (!misalignment) throw new Error('no misalignment');
    const e = misalignment.evidence;
    expect(e.velocityMmPerS).toBeCloseTo(orderVelocity(e.amplitude2x, 2 * (100 / 60)), 6);
    // 2× of 0.06 + 2.5 × 0.6 = 1.56 m/s².
    expect(e.amplitude2x).toBeCloseTo(1.56, 1);
  });
});

describe('severity band and failures that keep the rest of the diagnosis', () => {
  it('takes 2–1000 Hz for a machine at 600 rpm or less, 10–1000 Hz above, and says which', () => {
    const rate = 5120;
    const slow = block(rate, 5120, 480, 5);
    const d = diagnoseBlock(slow, rate, machineAt(480));
    expect(d.severity).toMatchObject({ bandHz: [2, 1000] });
    const expected = velocityRms(slow, rate, { unit: 'm/s²', lowHz: 2 }).mmPerS;
    expect(d.severity && 'mmPerS' in d.severity ? d.severity.mmPerS : null).toBeCloseTo(expected, 12);
    expect(diagnoseBlock(block(rate, 5120, 601, 5), rate, machineAt(601)).severity).toMatchObject({
      bandHz: [10, 1000],
    });
    // A 4096-sample block at 12.8 kHz cannot resolve 2 Hz: the severity says so, the rest stands.
    const short = diagnoseBlock(block(12_800, 4096, 480, 5), 12_800, machineAt(480));
    expect(short.severity).toEqual({
      reason:
        'values: 4096 samples at 12800 Hz cannot resolve 2 Hz; a block of at least 12800 samples is needed',
    });
  });

  it('keeps the shaft diagnosis of a sensor sampled too slowly for the ISO band', () => {
    const rate = 1500;
    const d = diagnoseBlock(block(rate, 4096, 1797, 6, 'imbalance'), rate, machineAt(1797));
    expect(d.severity).toEqual({
      reason:
        'rateHz: the ISO 20816-3 band reaches 1000 Hz, above the Nyquist frequency of a block sampled at 1500 Hz (750 Hz)',
    });
    expect(named(d)).toContain('imbalance');
  });

  it('keeps the shaft diagnosis of a block too short for an envelope, or of a band above its Nyquist', () => {
    const rate = 12_800;
    const x = block(rate, 4096, 1797, 7, 'imbalance');
    const band = diagnoseBlock(x, rate, machineAt(1797), { band: { lowHz: 7000, highHz: 8000 } });
    expect(reasonOf(band, 'envelope')).toMatch(/^band\.highHz: .*at most rateHz \/ 2 \(6400 Hz\), got 8000/);
    expect(named(band)).toContain('imbalance');
    const tiny = diagnoseBlock(x.slice(0, 48), rate, machineAt(1797));
    expect(reasonOf(tiny, 'envelope')).toBe('values: expected a block of at least 64 samples');
    expect(reasonOf(tiny, 'shaft')).toMatch(/^shaft orders unresolved/);
  });

  it('still refuses a malformed option or block, naming the field', () => {
    const x = block(12_800, 4096, 1797, 8);
    const m = machineAt(1797);
    expect(() => diagnoseBlock(x, 12_800, m, { band: { lowHz: -5, highHz: 100 } })).toThrow(/^band\.lowHz/);
    expect(() => diagnoseBlock(x, 12_800, m, { minLowHz: Number.NaN })).toThrow(/^minLowHz/);
    const bad = Array.from(x);
    bad[9] = Number.POSITIVE_INFINITY;
    expect(() => diagnoseBlock(bad, 12_800, m)).toThrow('samples: sample 9 is Infinity, not a finite number');
    expect(() => diagnoseBlock(x, 12_800, m, { axial: [0, Number.NaN, 0] })).toThrow(
      /^axial: sample 1 is NaN/,
    );
    const noClass = { ...m, severity: { group: 3 as never, foundation: 'rigid' as const } };
    expect(() => diagnoseBlock(x, 12_800, noClass)).toThrow(/^group/);
  });
});

describe('bearing defects the envelope spectrum does not resolve', () => {
  it('declines BPFI sidebands closer to their harmonic than the search window and a main lobe', () => {
    // 300 rpm: shaft 5 Hz is 1.6 bins of 3.125 Hz, BPFI's ±1 bin window needs 3.
    const geometry: BearingGeometry = BEARING;
    const d = diagnoseBlock(block(12_800, 4096, 300, 9), 12_800, machineAt(300));
    expect(reasonOf(d, 'bpfi')).toBe(
      'BPFI sidebands unresolved: ±1× (5.000 Hz) is 1.6 bins of 3.125 Hz, 3.0 needed',
    );
    const bpfi = d.bearings[0].features.find((f) => f.defect === 'bpfi');
    expect(bpfi?.sidebands).toEqual([]);
    expect(bpfi?.harmonics[0].expectedHz).toBeCloseTo(defectFrequencies(geometry, 5).bpfi, 9);
  });
});
