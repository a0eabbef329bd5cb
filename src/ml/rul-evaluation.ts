/**
 * Evaluation of the remaining-useful-life estimate (rul.ts) on simulated runs to failure: a fault starts on one
 * machine of the plant (simulator/fleet.ts) and grows; its vibration sensor's windows are scored offline
 * (WindowSet + HealthTracker, as the processor does), and at fixed shares of the fault's life the estimate of the
 * time to the failure line is compared with the time the run actually took to get there.
 *
 * Failure is the first window from which health stays under the failure line (half of scoring.alertBelow, where
 * alerts turn critical) for FAILURE_WINDOWS windows: the line the estimate predicts, read on the run itself, so
 * a noise dip is not a failure. The fault's life runs from its onset (label severity leaving 0) to that window.
 */
import { loadConfig } from '../config/load.ts';
import { isSampleBlock } from '../domain/types.ts';
import { medianOrNull } from '../lib/stats.ts';
import { HealthTracker } from '../pipeline/health.ts';
import { WindowSet } from '../pipeline/windows.ts';
import { Fleet, type SimulatedAsset } from '../simulator/fleet.ts';
import { PLANT } from '../simulator/plant.ts';
import { VIBRATION_FAULTS, type VibrationFault } from '../simulator/vibration-faults.ts';
import { estimateRemainingUsefulLife, type HealthPoint, type RulModel } from './rul.ts';

export interface RulEvaluationOptions {
  /** Fleet seeds; each runs on every machine of `machines`. */
  seeds: readonly number[];
  /** Machines of the plant the fault develops on (default: pump-2, motor-1, fan-1, compressor-1). */
  machines?: readonly string[];
  fault?: Exclude<VibrationFault, 'healthy'>;
  model?: RulModel;
  /** Seconds before the fault starts (default 120; the baseline takes the first windows). */
  faultStartSeconds?: number;
  /** Seconds the fault would take to reach full severity (default 36 000): sets how slowly health falls. */
  faultGrowthSeconds?: number;
  /** Longest run, simulated seconds (default 3 600); a run that has not failed by then is counted as such. */
  maxSeconds?: number;
  /** Shares of the fault's life at which the estimate is taken (default 0.5, 0.75, 0.9). */
  checkpoints?: readonly number[];
}

/** One estimate at one checkpoint of one run. Times in seconds. */
export interface RulSample {
  seed: number;
  machine: string;
  checkpoint: number;
  status: string;
  /** Time left to failure at the checkpoint, as it happened. */
  trueSeconds: number;
  /** Estimated time left and its interval; null unless estimated. */
  estimatedSeconds: number | null;
  lowSeconds: number | null;
  highSeconds: number | null;
}

/** Summary of the estimates at one checkpoint. Errors in seconds; relative errors are fractions. */
export interface CheckpointScore {
  checkpoint: number;
  runs: number;
  /** Runs with an estimate (status 'estimated'). */
  estimated: number;
  medianAbsoluteErrorSeconds: number | null;
  medianRelativeError: number | null;
  /** Median of (estimated − true) / true: positive when the estimate is late. */
  medianSignedRelativeError: number | null;
  /** Share of estimates whose interval holds the true time left. */
  intervalCoverage: number | null;
  medianTrueSeconds: number | null;
}

export interface RulEvaluation {
  seeds: number[];
  machines: string[];
  fault: string;
  model: RulModel;
  faultStartSeconds: number;
  faultGrowthSeconds: number;
  windowSeconds: number;
  alertBelow: number;
  failureLine: number;
  /** Runs that reached failure, of all runs. */
  failedRuns: number;
  runs: number;
  /** Median fault life (onset to failure), seconds. */
  medianLifeSeconds: number | null;
  scores: CheckpointScore[];
  samples: RulSample[];
}

/** Windows in a row under the failure line that make a failure. */
export const FAILURE_WINDOWS = 3;
const DEFAULT_MACHINES = ['pump-2', 'motor-1', 'fan-1', 'compressor-1'];

/** The vibration sensor's health per window (t: window start, ms from the run's start) until failure. */
function simulate(
  seed: number,
  machine: string,
  o: Required<Omit<RulEvaluationOptions, 'seeds' | 'machines' | 'checkpoints'>>,
  failureLine: number,
): { points: HealthPoint[]; failedAt: number | null } {
  const config = loadConfig({ env: {} });
  const windowMs = config.pipeline.windowSeconds * 1000;
  const bandEdgesHz = config.pipeline.bandEdgesHz;
  const fleet = new Fleet({
    seed,
    faultAssetId: machine,
    faultKind: o.fault,
    faultStartSeconds: o.faultStartSeconds,
    faultGrowthSeconds: o.faultGrowthSeconds,
  });
  const asset = fleet.assets.find((a) => a.id === machine) as SimulatedAsset;
  const sensor = asset.sensors.find((s) => s.kind === 'vibration') as SimulatedAsset['sensors'][number];
  const windows = new WindowSet({
    windowMs,
    latenessMs: 0,
    idleMs: 0,
    idleNeedsPartitionProgress: false,
    bandEdgesHz,
  });
  const tracker = new HealthTracker({ ...config.scoring, bandEdgesHz });
  const points: HealthPoint[] = [];
  let below = 0;
  for (let second = 0; second < o.maxSeconds; second++) {
    const block = fleet.assetReadings(machine, second, 0).find((r) => r.sensorId === sensor.id);
    if (!block || !isSampleBlock(block)) throw new Error(`no vibration block for ${sensor.id}`);
    windows.add(machine, block, null, 0);
    if ((second + 1) % (windowMs / 1000) !== 0) continue;
    for (const closed of windows.drain()) {
      const features = { ...closed.features, anomalyScore: null, health: null };
      tracker.score(features, sensor);
      if (features.health === null) continue;
      points.push({ t: closed.start, health: features.health });
      below = features.health < failureLine ? below + 1 : 0;
      if (below === FAILURE_WINDOWS) return { points, failedAt: points[points.length - FAILURE_WINDOWS].t };
    }
  }
  return { points, failedAt: null };
}

/**
 * Runs the fault on each machine for each seed and scores the failure estimate at each checkpoint.
 * @throws RangeError naming `seeds`, `machines`, `fault`, `checkpoints`, `faultStartSeconds`,
 * `faultGrowthSeconds` or `maxSeconds` when out of range.
 */
export function evaluateRul(options: RulEvaluationOptions): RulEvaluation {
  const { seeds } = options;
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every(Number.isInteger)) {
    throw new RangeError('seeds: expected a non-empty list of whole numbers');
  }
  // A repeated seed or machine would count the same run twice in the medians.
  if (new Set(seeds).size !== seeds.length) throw new RangeError('seeds: a seed is listed twice');
  const machines = [...(options.machines ?? DEFAULT_MACHINES)];
  const unknown = machines.find((m) => !PLANT.some((p) => p.id === m));
  if (machines.length === 0 || unknown !== undefined) {
    throw new RangeError(`machines: expected machines among ${PLANT.map((p) => p.id).join(', ')}`);
  }
  if (new Set(machines).size !== machines.length) throw new RangeError('machines: a machine is listed twice');
  const o = {
    fault: options.fault ?? 'outer-race',
    model: options.model ?? 'exponential',
    faultStartSeconds: options.faultStartSeconds ?? 120,
    faultGrowthSeconds: options.faultGrowthSeconds ?? 36_000,
    maxSeconds: options.maxSeconds ?? 3_600,
  };
  if (o.fault === ('healthy' as string) || !VIBRATION_FAULTS.includes(o.fault)) {
    throw new RangeError(`fault: expected one of ${VIBRATION_FAULTS.slice(1).join(', ')}`);
  }
  const checkpoints = [...(options.checkpoints ?? [0.5, 0.75, 0.9])];
  if (checkpoints.length === 0 || !checkpoints.every((c) => c > 0 && c < 1)) {
    throw new RangeError('checkpoints: expected shares of the life between 0 and 1');
  }
  const config = loadConfig({ env: {} });
  if (!(o.faultStartSeconds >= 6 * config.pipeline.windowSeconds * 2)) {
    throw new RangeError('faultStartSeconds: expected room for the baseline windows before the fault');
  }
  if (!(o.faultGrowthSeconds > 0)) throw new RangeError('faultGrowthSeconds: expected a positive duration');
  if (!(o.maxSeconds > o.faultStartSeconds && o.maxSeconds <= 86_400)) {
    throw new RangeError('maxSeconds: expected more than faultStartSeconds and at most 86 400');
  }
  const alertBelow = config.scoring.alertBelow;
  const failureLine = alertBelow / 2;
  const samples: RulSample[] = [];
  const lives: number[] = [];
  let failedRuns = 0;
  for (const seed of seeds) {
    for (const machine of machines) {
      const { points, failedAt } = simulate(seed, machine, o, failureLine);
      if (failedAt === null) continue;
      failedRuns++;
      const onset = o.faultStartSeconds * 1000;
      lives.push((failedAt - onset) / 1000);
      for (const checkpoint of checkpoints) {
        const now = onset + checkpoint * (failedAt - onset);
        const seen = points.filter((p) => p.t <= now);
        const e = estimateRemainingUsefulLife(seen, { alertBelow, model: o.model });
        const asOf = seen[seen.length - 1]?.t ?? now;
        const estimated = e.status === 'estimated' && e.failure !== undefined;
        samples.push({
          seed,
          machine,
          checkpoint,
          status: e.status,
          trueSeconds: (failedAt - asOf) / 1000,
          estimatedSeconds: estimated ? (e.failure?.hoursLeft ?? 0) * 3600 : null,
          lowSeconds: estimated ? (e.failure?.low ?? 0) * 3600 : null,
          highSeconds: estimated ? (e.failure?.high ?? 0) * 3600 : null,
        });
      }
    }
  }
  const scores = checkpoints.map((checkpoint) => score(checkpoint, samples));
  return {
    seeds: [...seeds],
    machines,
    ...o,
    windowSeconds: config.pipeline.windowSeconds,
    alertBelow,
    failureLine,
    failedRuns,
    runs: seeds.length * machines.length,
    medianLifeSeconds: medianOrNull(lives),
    scores,
    samples,
  };
}

function score(checkpoint: number, samples: RulSample[]): CheckpointScore {
  const at = samples.filter((s) => s.checkpoint === checkpoint);
  const est = at.filter((s) => s.estimatedSeconds !== null && s.trueSeconds > 0) as (RulSample & {
    estimatedSeconds: number;
    lowSeconds: number;
    highSeconds: number;
  })[];
  return {
    checkpoint,
    runs: at.length,
    estimated: est.length,
    medianAbsoluteErrorSeconds: medianOrNull(est.map((s) => Math.abs(s.estimatedSeconds - s.trueSeconds))),
    medianRelativeError: medianOrNull(
      est.map((s) => Math.abs(s.estimatedSeconds - s.trueSeconds) / s.trueSeconds),
    ),
    medianSignedRelativeError: medianOrNull(
      est.map((s) => (s.estimatedSeconds - s.trueSeconds) / s.trueSeconds),
    ),
    intervalCoverage:
      est.length > 0
        ? est.filter((s) => s.lowSeconds <= s.trueSeconds && s.trueSeconds <= s.highSeconds).length /
          est.length
        : null,
    medianTrueSeconds: medianOrNull(at.map((s) => s.trueSeconds)),
  };
}

/** The evaluation as a markdown table, one row per checkpoint. */
export function rulEvaluationTable(e: RulEvaluation): string {
  const sec = (v: number | null) => (v === null ? '—' : v.toFixed(0));
  const pct = (v: number | null, sign = false) =>
    v === null ? '—' : `${sign && v >= 0 ? '+' : ''}${(100 * v).toFixed(0)} %`;
  const rows = e.scores.map(
    (s) =>
      `| ${(100 * s.checkpoint).toFixed(0)} % | ${s.estimated} / ${s.runs} | ${sec(s.medianTrueSeconds)} | ` +
      `${sec(s.medianAbsoluteErrorSeconds)} | ${pct(s.medianRelativeError)} | ${pct(s.medianSignedRelativeError, true)} | ` +
      `${pct(s.intervalCoverage)} |`,
  );
  return [
    '| share of the fault’s life | runs estimated | median true time left, s | median absolute error, s | median relative error | median signed error | interval holds the truth |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
