/**
 * Vibration diagnostics speed on one core: the whole diagnostic set per W2 block (4 096 samples at 12.8 kHz) —
 * power spectrum, running speed, shaft orders, kurtogram, envelope spectrum, envelope features of one bearing,
 * ISO 20816-3 velocity severity, named diagnoses — beside the feature extraction of the same blocks, measured in
 * the same run.
 */
import { bearingCatalogue } from '../src/diagnostics/bearings.ts';
import { diagnoseBlock, type MachineModel } from '../src/diagnostics/diagnosis.ts';
import { WindowSet } from '../src/pipeline/windows.ts';
import { synthesizeVibration, VIBRATION_FAULTS } from '../src/simulator/vibration-faults.ts';
import { emit, env, median } from './lib.ts';

const repeats = env('BENCH_REPEAT', 5);
const RATE = 12_800;
const SAMPLES = 4096;
const SHAFT_HZ = 24.8;

const machine: MachineModel = {
  speed: { source: 'estimated', minHz: 10, maxHz: 60 },
  bearings: [{ designation: '6205', location: 'drive end' }],
  severity: { group: 2, foundation: 'rigid' },
};

// Every fault kind, at moderate severity: the envelope path runs whatever the block holds.
const blocks = Array.from({ length: 48 }, (_, i) =>
  Array.from(
    synthesizeVibration({
      rateHz: RATE,
      samples: SAMPLES,
      startSeconds: i * 0.32,
      shaftHz: SHAFT_HZ,
      bearing: bearingCatalogue['6205'],
      fault: VIBRATION_FAULTS[i % VIBRATION_FAULTS.length],
      severity: 0.4,
      seed: i,
    }),
  ),
);

function diagnostics(): number {
  const started = performance.now();
  let count = 0;
  for (let round = 0; round < 4; round++) {
    for (const values of blocks) {
      diagnoseBlock(values, RATE, machine);
      count++;
    }
  }
  return (count * SAMPLES) / ((performance.now() - started) / 1000);
}

function features(): number {
  const windows = new WindowSet({
    windowMs: 10_000,
    latenessMs: 0,
    idleMs: 60_000,
    idleNeedsPartitionProgress: false,
    bandEdgesHz: [0, 50, 100, 200, 500, 1000, 2000, 5000],
  });
  const started = performance.now();
  let count = 0;
  for (let s = 0; s < 4; s++) {
    blocks.forEach((values, b) => {
      windows.add('a', { sensorId: `v${s}`, ts: b * 1000, rateHz: RATE, values }, null, 0);
      count++;
    });
  }
  windows.drain();
  return (count * SAMPLES) / ((performance.now() - started) / 1000);
}

diagnostics(); // warm-up: JIT and the transforms' caches
const diagnosed = Array.from({ length: repeats }, diagnostics);
const extracted = Array.from({ length: repeats }, features);
const samplesPerSecond = Math.round(median(diagnosed));
const featureSamplesPerSecond = Math.round(median(extracted));
emit({
  bench: 'vibration-diagnostics',
  workload:
    'W2 vibration blocks, 4096 samples at 12.8 kHz, all fault kinds; estimated speed, kurtogram, envelope, one bearing, severity, diagnoses; one core',
  repeats,
  samplesPerSecond,
  blocksPerSecond: Math.round(samplesPerSecond / SAMPLES),
  featureExtractionSamplesPerSecond: featureSamplesPerSecond,
  ratioToFeatureExtraction: Number((samplesPerSecond / featureSamplesPerSecond).toFixed(3)),
});
