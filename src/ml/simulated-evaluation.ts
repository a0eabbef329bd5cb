/**
 * Evaluation of learned health models on the simulated plant (simulator/fleet.ts), against the baseline scorer:
 * a run's failure is the moment its fault's severity reaches its peak, and the data are split by machine: no
 * machine gives windows to both training and evaluation. Definitions in evaluation.ts.
 */
import { loadConfig } from '../config/load.ts';
import type { WindowFeatures } from '../domain/types.ts';
import { diagnoseWindow } from '../pipeline/diagnostics.ts';
import { WindowSet } from '../pipeline/windows.ts';
import { machineOf } from '../simulator/evaluation.ts';
import { Fleet } from '../simulator/fleet.ts';
import { VIBRATION_FAULTS, type VibrationFault } from '../simulator/vibration-faults.ts';
import {
  type DetectionOptions,
  type DetectionScores,
  evaluateOnWindows,
  type LabelledMachineWindows,
  mergeScores,
} from './evaluation.ts';
import { scorerOf } from './model.ts';
import { type MachineWindows, type TrainOptions, trainHealthModel } from './train.ts';

/**
 * Held-out split of the plant: each type is trained on some machines and evaluated on the others. The
 * compressor, alone of its type, cannot be held out and is not evaluated.
 */
export const PLANT_SPLIT: Record<string, { train: string[]; evaluate: string[] }> = {
  pump: { train: ['pump-1', 'pump-3'], evaluate: ['pump-2'] },
  motor: { train: ['motor-1'], evaluate: ['motor-2'] },
  fan: { train: ['fan-1'], evaluate: ['fan-2'] },
};

export interface MlEvaluationOptions {
  /** Fleet seeds of the training runs, and of the evaluation runs; no seed may be in both. */
  trainSeeds: readonly number[];
  evalSeeds: readonly number[];
  split?: Record<string, { train: string[]; evaluate: string[] }>;
  /** Fault kinds run on each evaluation machine and seed (default: all but healthy). */
  faults?: readonly VibrationFault[];
  /** Length of each healthy training run, and of each healthy evaluation run, s (defaults 600 and 7200). */
  trainSeconds?: number;
  healthySeconds?: number;
  /** Fault onset and growth to peak severity (the failure), s (defaults 90 and 300). */
  faultStartSeconds?: number;
  faultGrowthSeconds?: number;
  /**
   * Peak severity of the faults, a share of the simulator's fully developed fault (default 0.02): at full
   * severity every fault is plain in the first window after its onset, to any scorer; an incipient fault is
   * what tells scorers apart.
   */
  faultPeakSeverity?: number;
  train?: Omit<TrainOptions, 'baselineWindows' | 'labels'>;
  /** Called after each simulated run, for a progress line. */
  onRun?: (done: string) => void;
}

export interface MlEvaluation {
  trainSeeds: number[];
  evalSeeds: number[];
  split: Record<string, { train: string[]; evaluate: string[] }>;
  faults: VibrationFault[];
  trainSeconds: number;
  healthySeconds: number;
  faultStartSeconds: number;
  faultGrowthSeconds: number;
  faultPeakSeverity: number;
  windowSeconds: number;
  types: {
    assetType: string;
    /** Machines whose windows trained the model, and machines it was evaluated on. */
    trainedOn: string[];
    evaluatedOn: string[];
    metrics: Record<string, number>;
    learned: DetectionScores;
    baseline: DetectionScores;
  }[];
  overall: { learned: DetectionScores; baseline: DetectionScores };
}

/** The windows of one simulated run of one machine's vibration sensor, diagnosed as the processor does. */
export function simulateRun(
  seed: number,
  assetId: string,
  fault: VibrationFault,
  seconds: number,
  faultStartSeconds: number,
  faultGrowthSeconds: number,
  faultPeakSeverity = 1,
): WindowFeatures[] {
  const config = loadConfig({ env: {} });
  const fleet = new Fleet({
    seed,
    faultAssetId: fault === 'healthy' ? null : assetId,
    faultKind: fault === 'healthy' ? 'outer-race' : fault,
    faultStartSeconds,
    faultGrowthSeconds,
    faultPeakSeverity,
  });
  const asset = fleet.assets.find((a) => a.id === assetId);
  if (!asset) throw new RangeError(`assetId: ${JSON.stringify(assetId)} is not an asset of the plant`);
  const machine = machineOf(asset);
  const sensorId = `${assetId}.vib`;
  const set = new WindowSet({
    windowMs: config.pipeline.windowSeconds * 1000,
    latenessMs: 0,
    idleMs: 0,
    idleNeedsPartitionProgress: false,
    bandEdgesHz: config.pipeline.bandEdgesHz,
    diagnose: (_a, _s, blocks) => diagnoseWindow(blocks, machine),
  });
  const out: WindowFeatures[] = [];
  for (let second = 0; second < seconds; second++) {
    const block = fleet.assetReadings(assetId, second, 0).find((r) => r.sensorId === sensorId);
    if (block) set.add(assetId, block, null, 0);
    if ((second + 1) % config.pipeline.windowSeconds === 0) {
      for (const c of set.drain()) out.push({ ...c.features, anomalyScore: null, health: null });
    }
  }
  return out;
}

/**
 * Trains a model per asset type of the split on healthy runs of its training machines (train seeds), and scores
 * it and the baseline scorer on runs of the held-out machines (eval seeds): one healthy run and one run per fault
 * kind for each machine and seed, each fault run ending at its failure.
 * @throws RangeError naming `trainSeeds`, `evalSeeds`, `split` or `faults` when they are unusable; the
 * training's ValidationError when a type has too few windows.
 */
export function evaluateHealthModels(options: MlEvaluationOptions): MlEvaluation {
  const o = {
    split: PLANT_SPLIT,
    faults: VIBRATION_FAULTS.filter((f) => f !== 'healthy'),
    trainSeconds: 600,
    healthySeconds: 7200,
    faultStartSeconds: 90,
    faultGrowthSeconds: 300,
    faultPeakSeverity: 0.02,
    ...options,
  };
  for (const key of ['trainSeeds', 'evalSeeds'] as const) {
    const seeds = o[key];
    if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every(Number.isInteger)) {
      throw new RangeError(`${key}: expected a non-empty list of whole numbers`);
    }
  }
  const shared = o.evalSeeds.filter((s) => o.trainSeeds.includes(s));
  if (shared.length > 0) throw new RangeError(`evalSeeds: ${shared.join(', ')} also in trainSeeds`);
  for (const [type, s] of Object.entries(o.split)) {
    const both = s.evaluate.filter((m) => s.train.includes(m));
    if (both.length > 0) throw new RangeError(`split: ${type} has ${both.join(', ')} on both sides`);
  }
  if (!(o.faultPeakSeverity > 0 && o.faultPeakSeverity <= 1)) {
    throw new RangeError(
      `faultPeakSeverity: expected a share above 0 and up to 1, got ${o.faultPeakSeverity}`,
    );
  }
  if (!o.faults.every((f) => f !== 'healthy' && VIBRATION_FAULTS.includes(f))) {
    throw new RangeError(`faults: expected fault kinds among ${VIBRATION_FAULTS.slice(1).join(', ')}`);
  }
  const config = loadConfig({ env: {} });
  const detection: DetectionOptions = { ...config.scoring, bandEdgesHz: config.pipeline.bandEdgesHz };
  const failureMs = (o.faultStartSeconds + o.faultGrowthSeconds) * 1000;
  const types: MlEvaluation['types'] = [];
  for (const [assetType, s] of Object.entries(o.split)) {
    const training: MachineWindows[] = [];
    for (const seed of o.trainSeeds) {
      for (const assetId of s.train) {
        training.push({ assetId, windows: simulateRun(seed, assetId, 'healthy', o.trainSeconds, 0, 0) });
        o.onRun?.(`train ${assetId} seed ${seed}`);
      }
    }
    const trained = trainHealthModel(assetType, training, {
      ...o.train,
      baselineWindows: config.scoring.baselineWindows,
    });
    const scorer = scorerOf(trained.model, { name: `mantis-health-${assetType}`, version: 'evaluation' });
    const held: LabelledMachineWindows[] = [];
    for (const seed of o.evalSeeds) {
      for (const assetId of s.evaluate) {
        for (const fault of ['healthy' as const, ...o.faults]) {
          const seconds = fault === 'healthy' ? o.healthySeconds : o.faultStartSeconds + o.faultGrowthSeconds;
          const windows = simulateRun(
            seed,
            assetId,
            fault,
            seconds,
            o.faultStartSeconds,
            o.faultGrowthSeconds,
            o.faultPeakSeverity,
          );
          const labels =
            fault === 'healthy' ? [] : [{ assetId, from: o.faultStartSeconds * 1000, to: failureMs, fault }];
          held.push({ assetId, assetType, windows, labels });
          o.onRun?.(`evaluate ${assetId} ${fault} seed ${seed}`);
        }
      }
    }
    types.push({
      assetType,
      trainedOn: [...trained.model.training.machines],
      evaluatedOn: [...new Set(held.map((h) => h.assetId))],
      metrics: trained.metrics,
      learned: evaluateOnWindows(scorer, held, detection),
      baseline: evaluateOnWindows(null, held, detection),
    });
  }
  return {
    trainSeeds: [...o.trainSeeds],
    evalSeeds: [...o.evalSeeds],
    split: o.split,
    faults: [...o.faults],
    trainSeconds: o.trainSeconds,
    healthySeconds: o.healthySeconds,
    faultStartSeconds: o.faultStartSeconds,
    faultGrowthSeconds: o.faultGrowthSeconds,
    faultPeakSeverity: o.faultPeakSeverity,
    windowSeconds: config.pipeline.windowSeconds,
    types,
    overall: {
      learned: mergeScores(types.map((t) => t.learned)),
      baseline: mergeScores(types.map((t) => t.baseline)),
    },
  };
}

/** The evaluation as a markdown table: one row per asset type and scorer, then the pooled rows. */
export function mlEvaluationTable(e: MlEvaluation): string {
  const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);
  const num = (v: number | null, digits: number) => (v === null ? '—' : v.toFixed(digits));
  const row = (type: string, held: string, scorer: string, d: DetectionScores) =>
    `| ${type} | ${held} | ${scorer} | ${d.detected} / ${d.faults} | ${pct(d.recall)} | ${d.trueAlerts} / ${d.alerts} | ${pct(d.precision)} | ` +
    `${d.falseAlarms} | ${num(d.healthyDays * 24, 2)} | ${num(d.falseAlarmsPerMachineDay, 1)} | ${num(d.medianLeadMinutes, 2)} |`;
  const rows = e.types.flatMap((t) => {
    const held = t.evaluatedOn.join(', ');
    return [
      row(t.assetType, held, 'learned (MCD)', t.learned),
      row(t.assetType, held, 'baseline', t.baseline),
    ];
  });
  return [
    '| type | held-out machines | scorer | faults detected before failure | recall | true alerts / alerts | precision | false alarms | healthy exposure, machine-hours | false alarms per machine-day | median lead before failure, min |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    row('all', '—', 'learned (MCD)', e.overall.learned),
    row('all', '—', 'baseline', e.overall.baseline),
  ].join('\n');
}
