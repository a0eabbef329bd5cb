/**
 * Feature extraction speed on one core: the whole feature set (time-domain, spectrum, bands, dominant
 * frequency) over W2 vibration blocks (4 096 samples at 12.8 kHz) and over W1 scalar windows.
 */
import { WindowSet } from '../src/pipeline/windows.ts';
import { emit, env, median } from './lib.ts';

const repeats = env('BENCH_REPEAT', 5);
const bandEdgesHz = [0, 50, 100, 200, 500, 1000, 2000, 5000];
const options = {
  windowMs: 10_000,
  latenessMs: 0,
  idleMs: 60_000,
  idleNeedsPartitionProgress: false,
  bandEdgesHz,
};

function block(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) + 0.1 * Math.sin(i * 2.1));
}

function vibration(): { samplesPerSecond: number; blocksPerSecond: number } {
  const blocks = Array.from({ length: 50 }, (_, i) => block(4096, i));
  const windows = new WindowSet(options);
  const started = performance.now();
  let count = 0;
  // 10 blocks per window, 10 windows per run of 100 blocks, per sensor.
  for (let s = 0; s < 20; s++) {
    for (let b = 0; b < 100; b++) {
      windows.add('a', { sensorId: `v${s}`, ts: b * 1000, rateHz: 12_800, values: blocks[b % 50] }, null, 0);
      count++;
    }
  }
  windows.drain();
  const seconds = (performance.now() - started) / 1000;
  return { samplesPerSecond: (count * 4096) / seconds, blocksPerSecond: count / seconds };
}

function scalars(): { readingsPerSecond: number } {
  const windows = new WindowSet(options);
  const started = performance.now();
  let count = 0;
  // W1: 10 000 sensors, one reading a second, 10 s windows.
  for (let t = 0; t < 30; t++) {
    for (let s = 0; s < 10_000; s++) {
      windows.add(`a${s % 1000}`, { sensorId: `s${s}`, ts: t * 1000, value: Math.sin(s + t) }, null, 0);
      count++;
    }
    windows.closeReady(0);
  }
  windows.drain();
  return { readingsPerSecond: count / ((performance.now() - started) / 1000) };
}

const w2 = Array.from({ length: repeats }, vibration);
emit({
  bench: 'feature-extraction',
  workload: 'W2 vibration blocks, 4096 samples at 12.8 kHz, full feature set, one core',
  repeats,
  samplesPerSecond: Math.round(median(w2.map((r) => r.samplesPerSecond))),
  blocksPerSecond: Math.round(median(w2.map((r) => r.blocksPerSecond))),
});
const w1 = Array.from({ length: repeats }, scalars);
emit({
  bench: 'feature-extraction',
  workload: 'W1 scalar windows (10 000 sensors, 10 s windows), windowing + full feature set, one core',
  repeats,
  readingsPerSecond: Math.round(median(w1.map((r) => r.readingsPerSecond))),
});
