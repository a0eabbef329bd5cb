/**
 * One training run of `mantis ml train`: the stored windows of every asset of a type over a range, the
 * maintenance labels, a trained model, its evaluation on labelled windows when there are any, and — unless a dry
 * run — the run logged to model tracking (parameters, metrics, evaluation table, model artifact) and the model
 * registered as a new version. Reads through ports only; the CLI gives the adapters.
 */
import { ValidationError } from '../domain/errors.ts';
import type { WindowFeatures } from '../domain/types.ts';
import type { AlertRepository } from '../storage/ports/alerts.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { FeatureReader } from '../storage/ports/feature-reader.ts';
import type { DetectionOptions } from './evaluation.ts';
import { type ClosedFinding, labelsFromFindings, NO_FAULT_FOUND, type WindowLabel } from './labels.ts';
import { MODEL_ARTIFACT_DIR, MODEL_FILE, modelNameOf } from './naming.ts';
import type { ModelTracking, ModelVersion, TrackingRun } from './tracking/port.ts';
import { type TrainedModel, trainHealthModel } from './train.ts';
import {
  evaluateLeavingOneAssetOut,
  evaluateOnLabels,
  evaluationMetrics,
  evaluationTable,
  type TrainingEvaluation,
} from './training-evaluation.ts';

/** Windows read per query: bounded memory per round trip. */
const PAGE = 5_000;

export interface TrainingDeps {
  registry: Pick<AssetRegistry, 'listAssets'>;
  features: Pick<FeatureReader, 'queryFeatures'>;
  /** Work orders closed with a finding over a range (epoch ms): the maintenance labels. */
  findings(from: number, to: number): Promise<ClosedFinding[]>;
  /** Alerts, newest first: the windows under one are left out of training. */
  alerts: Pick<AlertRepository, 'list'>;
  tracking: ModelTracking;
}

export interface TrainingRequest {
  assetType: string;
  /** Range of window starts, epoch ms, [from, to). */
  from: number;
  to: number;
  dryRun: boolean;
  experiment: string;
  modelPrefix: string;
  /** The health tracker's settings (scoring with pipeline.bandEdgesHz): evaluation raises alerts as it does. */
  scoring: DetectionOptions;
  /** How far before its alert a confirmed finding labels the windows (ms). */
  labelHorizonMs: number;
}

/** Progress as it goes: reading each asset's windows, then training, logging, registering. */
export type TrainingProgress =
  | { step: 'read'; asset: string; index: number; assets: number; windows: number }
  | { step: 'train'; windows: number; series: number }
  | { step: 'log' | 'register' };

export interface TrainingSummary {
  assetType: string;
  modelName: string;
  from: number;
  to: number;
  assets: string[];
  /** Series (asset, sensor) and windows read. */
  series: number;
  windows: number;
  /** Maintenance labels that fell on this type's assets in the range. */
  labels: number;
  /** Alert intervals whose windows were left out of training. */
  alertedWindowsLeftOut: number;
  /** What looked wrong in the training data (see TrainedModel.warnings). */
  warnings: string[];
  params: TrainedModel['params'];
  metrics: TrainedModel['metrics'];
  /** The model against the baseline scorer on assets held out of its training (see training-evaluation.ts). */
  evaluation: TrainingEvaluation;
  dryRun: boolean;
  tracking: string;
  run: TrackingRun | null;
  version: ModelVersion | null;
}

/** Every active asset of a type, by id. */
async function assetsOfType(registry: TrainingDeps['registry'], assetType: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: NonNullable<Awaited<ReturnType<AssetRegistry['listAssets']>>['next']> | undefined;
  do {
    const page = await registry.listAssets({
      kind: assetType,
      status: 'active',
      sort: 'id',
      limit: 500,
      cursor,
    });
    ids.push(...page.items.map((a) => a.id));
    cursor = page.next ?? undefined;
  } while (cursor);
  return ids;
}

/** One asset's windows in [from, to), by sensor, oldest first. */
async function seriesOf(
  features: TrainingDeps['features'],
  assetId: string,
  from: number,
  to: number,
): Promise<Map<string, WindowFeatures[]>> {
  const bySensor = new Map<string, WindowFeatures[]>();
  const seen = new Set<string>();
  let start = from;
  for (;;) {
    const page = await features.queryFeatures({ assetId, from: start, to, limit: PAGE });
    for (const w of page) {
      const key = `${w.sensorId}\u0000${w.windowStart}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = bySensor.get(w.sensorId) ?? [];
      list.push(w);
      bySensor.set(w.sensorId, list);
    }
    if (page.length < PAGE) return bySensor;
    const last = page[page.length - 1].windowStart;
    // Pages are by window start: the next one starts at the last start (deduplicated), or past it when one
    // start filled a whole page.
    start = last > start ? last : last + 1;
  }
}

/**
 * Trains the model of `assetType` and, unless `dryRun`, logs and registers it. Throws ValidationError naming
 * `assetType` (no asset of the type, a type a model cannot be named after) or `from` (no window in range), and
 * whatever trainHealthModel throws for too little data; tracking errors as the adapter throws them. A run that
 * fails after it started is ended FAILED.
 */
export async function runTraining(
  deps: TrainingDeps,
  req: TrainingRequest,
  progress: (p: TrainingProgress) => void = () => {},
): Promise<TrainingSummary> {
  const modelName = modelNameOf(req.modelPrefix, req.assetType);
  const assets = await assetsOfType(deps.registry, req.assetType);
  if (assets.length === 0) throw new ValidationError('assetType', `no active asset of type ${req.assetType}`);
  const machines: { assetId: string; windows: WindowFeatures[] }[] = [];
  let windows = 0;
  for (const [index, assetId] of assets.entries()) {
    for (const series of (await seriesOf(deps.features, assetId, req.from, req.to)).values()) {
      machines.push({ assetId, windows: series });
      windows += series.length;
    }
    progress({ step: 'read', asset: assetId, index: index + 1, assets: assets.length, windows });
  }
  if (windows === 0) {
    throw new ValidationError(
      'from',
      `no stored window of a ${req.assetType} between ${new Date(req.from).toISOString()} and ${new Date(req.to).toISOString()}`,
    );
  }
  const ofType = new Set(assets);
  // Orders closed after the range starts, up to now: one raised in the range and closed after it still
  // labels windows in it. Kept: labels on this type's assets overlapping the range.
  const findings = await deps.findings(req.from, Math.max(req.to, Date.now()) + 1);
  const labels = labelsFromFindings(findings, { horizonMs: req.labelHorizonMs }).filter(
    (l) => ofType.has(l.assetId) && l.from < req.to && l.to > req.from,
  );
  progress({ step: 'train', windows, series: machines.length });
  // Split by machine, never by window: the assets maintenance labelled are held out of training and evaluated,
  // unless no other asset is left to train on.
  const labelled = new Set(labels.map((l) => l.assetId));
  const heldOut = labelled.size > 0 && machines.some((m) => !labelled.has(m.assetId));
  const training = heldOut ? machines.filter((m) => !labelled.has(m.assetId)) : machines;
  // Windows under an alert are no example of normal either, confirmed or not (a finding of no fault says
  // otherwise, and wins).
  const alerted = await alertIntervals(deps.alerts, assets, req, labels);
  const trained = trainHealthModel(req.assetType, training, {
    baselineWindows: req.scoring.baselineWindows,
    labels: [...labels, ...alerted],
  });
  const evaluation =
    labelled.size > 0
      ? evaluateOnLabels(req, trained, machines, labels, labelled, heldOut)
      : evaluateLeavingOneAssetOut(req, machines, alerted);
  trained.evaluation = evaluationTable(evaluation);
  Object.assign(trained.metrics, evaluationMetrics(evaluation));
  const summary: TrainingSummary = {
    assetType: req.assetType,
    modelName,
    from: req.from,
    to: req.to,
    assets,
    series: machines.length,
    windows,
    labels: labels.length,
    alertedWindowsLeftOut: alerted.length,
    warnings: trained.warnings,
    params: trained.params,
    metrics: trained.metrics,
    evaluation,
    dryRun: req.dryRun,
    tracking: deps.tracking.location,
    run: null,
    version: null,
  };
  if (req.dryRun) return summary;

  progress({ step: 'log' });
  const { tracking } = deps;
  const run = await tracking.startRun(req.experiment, `${req.assetType} ${new Date().toISOString()}`, {
    'mantis.asset_type': req.assetType,
    'mantis.model': modelName,
  });
  summary.run = run;
  try {
    await tracking.logParams(run.runId, {
      ...trained.params,
      from: new Date(req.from).toISOString(),
      to: new Date(req.to).toISOString(),
      assets: assets.length,
      series_read: machines.length,
      windows_read: windows,
      labels: labels.length,
      alert_intervals_left_out: alerted.length,
    });
    await tracking.logMetrics(run.runId, trained.metrics);
    await tracking.logArtifact(
      run.runId,
      MODEL_FILE,
      JSON.stringify(trained.model, null, 2),
      'application/json',
    );
    await tracking.logArtifact(run.runId, 'evaluation.md', evaluationTable(evaluation), 'text/markdown');
    progress({ step: 'register' });
    summary.version = await tracking.registerModelVersion(
      modelName,
      run.runId,
      MODEL_ARTIFACT_DIR,
      `${req.assetType}: ${windows} windows of ${assets.length} asset(s), ${new Date(req.from).toISOString()} – ${new Date(req.to).toISOString()}`,
    );
    await tracking.endRun(run.runId, 'FINISHED');
  } catch (err) {
    await tracking.endRun(run.runId, 'FAILED').catch(() => {});
    throw err;
  }
  return summary;
}

/** Alerts read per asset, at most: a history longer than this is not one to train on anyway. */
const MAX_ALERTS = 10_000;

/**
 * The intervals [raisedAt, resolvedAt or now) of the alerts of `assets` overlapping the range, on their sensor,
 * as labels that keep their windows out of training; those overlapping a no-fault-found finding are dropped.
 */
async function alertIntervals(
  alerts: TrainingDeps['alerts'],
  assets: string[],
  req: TrainingRequest,
  labels: WindowLabel[],
): Promise<WindowLabel[]> {
  const out: WindowLabel[] = [];
  const sound = labels.filter((l) => l.fault === NO_FAULT_FOUND);
  for (const assetId of assets) {
    let after: Parameters<AlertRepository['list']>[0]['after'];
    let read = 0;
    do {
      const page = await alerts.list({ assetId, limit: 1000, after });
      for (const a of page.items) {
        const interval = {
          assetId,
          sensorId: a.sensorId,
          from: a.raisedAt,
          to: a.resolvedAt ?? Number.MAX_SAFE_INTEGER,
        };
        if (interval.from >= req.to || interval.to <= req.from) continue;
        const overlapsSound = sound.some(
          (l) =>
            l.assetId === assetId &&
            (l.sensorId ?? a.sensorId) === a.sensorId &&
            l.from < interval.to &&
            l.to > interval.from,
        );
        if (!overlapsSound) out.push({ ...interval, fault: `alert:${a.cause}` });
      }
      read += page.items.length;
      after = page.next ?? undefined;
    } while (after && read < MAX_ALERTS);
  }
  return out;
}
