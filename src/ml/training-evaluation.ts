/**
 * How `mantis ml train` evaluates the model it trains, always on assets held out of that model's training (split
 * by machine, never by window), against the baseline scorer on the same windows, alerts raised as on the stream:
 * - with maintenance labels in range: on the labelled assets (see labels.ts), recall, precision, false alarms
 *   and lead before the repair;
 * - without: each asset held out in turn (at most MAX_FOLDS), a model trained on the others: false alarms per
 *   machine-day on windows assumed healthy;
 * - with one asset of the type and no label, nothing can be held out: no evaluation, and the reason.
 */
import { ValidationError } from '../domain/errors.ts';
import {
  type DetectionOptions,
  type DetectionScores,
  evaluateOnWindows,
  labelsOfSeries,
  mergeScores,
} from './evaluation.ts';
import { NO_FAULT_FOUND, type WindowLabel } from './labels.ts';
import { scorerOf } from './model.ts';
import { modelNameOf } from './naming.ts';
import { type MachineWindows, type TrainedModel, trainHealthModel } from './train.ts';

/**
 * The series a model scores: vibration (sample-block windows). Scalar series stay with the baseline scorer, so
 * both scorers would score them alike; left out, a machine-day is one vibration series' day.
 */
const scoredSeries = (machines: MachineWindows[]) => machines.filter((m) => m.windows[0]?.bandEnergies);

/** Assets held out in turn, at most: each is one more model to train. */
export const MAX_FOLDS = 5;

export type TrainingEvaluation =
  | {
      kind: 'labels' | 'machines';
      heldOut: boolean;
      assets: string[];
      learned: DetectionScores;
      baseline: DetectionScores;
    }
  | { kind: 'none'; reason: string };

/** What evaluation needs of the training request. */
export interface EvaluationRequest {
  assetType: string;
  modelPrefix: string;
  scoring: DetectionOptions;
}

/**
 * Without labels: each asset (the first MAX_FOLDS by id) held out in turn, a model trained on the other assets'
 * series, the held-out asset's series scored by it and by the baseline; the folds pooled. Folds whose training
 * set is too small are skipped; none left gives `kind: 'none'` with the reason.
 */
export function evaluateLeavingOneAssetOut(
  req: EvaluationRequest,
  machines: MachineWindows[],
  /** Windows left out of each fold's training (under an alert). */
  exclude: WindowLabel[] = [],
): TrainingEvaluation {
  const assets = [...new Set(machines.map((m) => m.assetId))].sort();
  if (assets.length < 2) {
    return {
      kind: 'none',
      reason: `one ${req.assetType} asset and no maintenance label: nothing to hold out`,
    };
  }
  const learned: DetectionScores[] = [];
  const baseline: DetectionScores[] = [];
  const held: string[] = [];
  let skipped = '';
  for (const assetId of assets.slice(0, MAX_FOLDS)) {
    let fold: TrainedModel;
    try {
      fold = trainHealthModel(
        req.assetType,
        machines.filter((m) => m.assetId !== assetId),
        { baselineWindows: req.scoring.baselineWindows, labels: exclude },
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      skipped = `without ${assetId}: ${err.reason}`;
      continue;
    }
    const scorer = scorerOf(fold.model, {
      name: modelNameOf(req.modelPrefix, req.assetType),
      version: 'fold',
    });
    const series = scoredSeries(machines)
      .filter((m) => m.assetId === assetId)
      .map((m) => ({ ...m, assetType: req.assetType, labels: [] }));
    learned.push(evaluateOnWindows(scorer, series, req.scoring));
    baseline.push(evaluateOnWindows(null, series, req.scoring));
    held.push(assetId);
  }
  if (held.length === 0) return { kind: 'none', reason: `too little data to hold an asset out (${skipped})` };
  return {
    kind: 'machines',
    heldOut: true,
    assets: held,
    learned: mergeScores(learned),
    baseline: mergeScores(baseline),
  };
}

/** The trained model and the baseline scorer over the labelled assets' windows, alerts raised as on the stream. */
export function evaluateOnLabels(
  req: EvaluationRequest,
  trained: TrainedModel,
  machines: MachineWindows[],
  labels: WindowLabel[],
  labelled: Set<string>,
  heldOut: boolean,
): TrainingEvaluation {
  const evaluated = scoredSeries(machines)
    .filter((m) => labelled.has(m.assetId))
    .map((m) => ({ ...m, assetType: req.assetType, labels: labelsOfSeries(m, labels) }))
    .filter((m) => m.labels.length > 0);
  const scorer = scorerOf(trained.model, {
    name: modelNameOf(req.modelPrefix, req.assetType),
    version: 'candidate',
  });
  return {
    kind: 'labels',
    heldOut,
    assets: [...labelled].sort(),
    learned: evaluateOnWindows(scorer, evaluated, req.scoring),
    baseline: evaluateOnWindows(null, evaluated, req.scoring),
  };
}

/** MLflow metric names: eval_<scorer>_<measure>; rates left out where nothing was there to count. */
export function evaluationMetrics(e: TrainingEvaluation): Record<string, number> {
  if (e.kind === 'none') return {};
  const out: Record<string, number> = {};
  for (const [scorer, d] of [
    ['learned', e.learned],
    ['baseline', e.baseline],
  ] as const) {
    const measures: Record<string, number | null> = {
      faults: d.faults,
      detected: d.detected,
      alerts: d.alerts,
      false_alarms: d.falseAlarms,
      precision: d.precision,
      recall: d.recall,
      false_alarms_per_machine_day: d.falseAlarmsPerMachineDay,
      median_lead_minutes: d.medianLeadMinutes,
    };
    for (const [k, v] of Object.entries(measures)) if (v !== null) out[`eval_${scorer}_${k}`] = v;
  }
  return out;
}

/** The evaluation as markdown, logged beside the model and printed by the CLI. */
export function evaluationTable(e: TrainingEvaluation): string {
  if (e.kind === 'none') return `No evaluation: ${e.reason}.\n`;
  const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);
  const num = (v: number | null, digits: number) => (v === null ? '—' : v.toFixed(digits));
  const row = (scorer: string, d: DetectionScores) =>
    `| ${scorer} | ${d.detected} / ${d.faults} | ${pct(d.recall)} | ${d.trueAlerts} / ${d.alerts} | ${pct(d.precision)} | ` +
    `${d.falseAlarms} | ${num(d.falseAlarmsPerMachineDay, 2)} | ${num(d.medianLeadMinutes, 1)} |`;
  const on =
    e.kind === 'machines'
      ? `each asset held out in turn, the model trained on the others (${e.assets.join(', ')}). No maintenance label in range: every window counts as healthy, so this measures false alarms only`
      : e.heldOut
        ? `the assets maintenance labelled, held out of training: ${e.assets.join(', ')}. Labels: work orders closed with a finding (${NO_FAULT_FOUND}: healthy)`
        : `every asset (all are labelled, none could be held out): ${e.assets.join(', ')}. Labels: work orders closed with a finding (${NO_FAULT_FOUND}: healthy)`;
  return [
    `Evaluation on ${on}.`,
    '',
    '| scorer | faults detected before repair | recall | true alerts / alerts | precision | false alarms | per machine-day | median lead, min |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('learned', e.learned),
    row('baseline', e.baseline),
    '',
  ].join('\n');
}
