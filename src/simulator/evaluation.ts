/**
 * Evaluation of the named vibration diagnoses on simulated runs of the plant (fleet.ts), against each window's
 * label: for each fault kind, how often the right fault is named, how often a wrong one is, and how long before
 * the anomaly-score health alert (pipeline/health.ts, over the same windows' features) the diagnosis comes.
 * Pure and offline: the fleet, the window features, the health tracker and the diagnosis, in one process.
 */
import { loadConfig } from '../config/load.ts';
import { diagnoseBlock, type FaultName, type MachineModel } from '../diagnostics/diagnosis.ts';
import { isSampleBlock } from '../domain/types.ts';
import { medianOrNull } from '../lib/stats.ts';
import { HealthTracker } from '../pipeline/health.ts';
import { WindowSet } from '../pipeline/windows.ts';
import { Fleet, type SimulatedAsset } from './fleet.ts';
import { PLANT } from './plant.ts';
import { VIBRATION_FAULTS, type VibrationFault } from './vibration-faults.ts';

const BEARING_FAULTS: readonly FaultName[] = ['outer-race', 'inner-race', 'rolling-element', 'cage'];

export interface EvaluationOptions {
  /** Fleet seeds, one run per seed and fault kind. */
  seeds: readonly number[];
  /** Fault kinds to run ('healthy': a run without a fault). Default: all. */
  faults?: readonly VibrationFault[];
  /** Simulated seconds per run (default 300). */
  durationSeconds?: number;
  /** When the fault starts and how long it takes to grow to full severity, s (defaults 90 and 150). */
  faultStartSeconds?: number;
  faultGrowthSeconds?: number;
  /** A window counts towards the detection rate from this label severity on (default 0.25). */
  developedSeverity?: number;
}

/** What one fault kind scored over its runs. Rates are fractions 0..1; null when nothing was counted. */
export interface FaultScore {
  fault: VibrationFault;
  runs: number;
  /** Windows labelled with the fault at `developedSeverity` or more. */
  windows: number;
  /** Of those, the share whose diagnosis names the fault. */
  windowDetectionRate: number | null;
  /** Share of runs in which the fault is named in some window. */
  runDetectionRate: number | null;
  /** Share of all the runs' windows naming another fault than the label's (healthy: any fault). */
  falseDiagnosisRate: number;
  /** Windows labelled healthy that name a bearing fault. */
  bearingDiagnosesOnHealthy: number;
  /** Windows labelled healthy. */
  healthyWindows: number;
  /** Runs whose health alert fired. */
  alerts: number;
  /** Median, over runs where both happened, of (alert time − first right diagnosis), minutes of simulated time. */
  medianLeadMinutes: number | null;
  /** Runs where the fault was named and the health alert never fired. */
  namedWithoutAlert: number;
  /** Over all the runs' windows: how many named each fault (a window may name several). */
  named: Partial<Record<FaultName, number>>;
}

export interface Evaluation {
  seeds: number[];
  durationSeconds: number;
  faultStartSeconds: number;
  faultGrowthSeconds: number;
  developedSeverity: number;
  windowSeconds: number;
  scores: FaultScore[];
}

/**
 * A window names a fault when the fault is named in at least half its blocks: one block in a window is not a
 * trend, and an analyst reads the window, not each second.
 */
const NAMED_SHARE = 0.5;

/** The machine model diagnosis gets for an asset, from what the registry is told of it. */
export function machineOf(asset: SimulatedAsset): MachineModel {
  const vib = asset.sensors.find((s) => s.kind === 'vibration');
  return {
    speed: asset.machine.speed,
    bearings: vib?.bearings ?? [],
    unit: 'g',
    severity: asset.machine.severity,
  };
}

interface RunResult {
  /** Each window's label (the fault and its severity at the window's last second) and the faults it names. */
  windows: { label: VibrationFault; severity: number; named: Set<FaultName>; endSecond: number }[];
  alertSecond: number | null;
}

/** One run of `fault` on `assetId` (null: a healthy fleet) for the asset's vibration sensor. */
function run(
  seed: number,
  fault: VibrationFault,
  assetId: string,
  o: Required<Omit<EvaluationOptions, 'seeds' | 'faults'>>,
): RunResult {
  const config = loadConfig({ env: {} });
  const windowMs = config.pipeline.windowSeconds * 1000;
  const bandEdgesHz = config.pipeline.bandEdgesHz;
  const fleet = new Fleet({
    seed,
    faultAssetId: fault === 'healthy' ? null : assetId,
    faultKind: fault === 'healthy' ? 'outer-race' : fault,
    faultStartSeconds: o.faultStartSeconds,
    faultGrowthSeconds: o.faultGrowthSeconds,
  });
  const asset = fleet.assets.find((a) => a.id === assetId) as SimulatedAsset;
  const sensor = asset.sensors.find((s) => s.kind === 'vibration') as SimulatedAsset['sensors'][number];
  const machine = machineOf(asset);
  const windows = new WindowSet({
    windowMs,
    latenessMs: 0,
    idleMs: 0,
    idleNeedsPartitionProgress: false,
    bandEdgesHz,
  });
  const health = new HealthTracker({ ...config.scoring, bandEdgesHz });
  const result: RunResult = { windows: [], alertSecond: null };
  const perWindow = windowMs / 1000;
  let counts = new Map<FaultName, number>();
  for (let second = 0; second < o.durationSeconds; second++) {
    const block = fleet.assetReadings(assetId, second, 0).find((r) => r.sensorId === sensor.id);
    if (!block || !isSampleBlock(block)) throw new Error(`no vibration block for ${sensor.id}`);
    windows.add(assetId, block, null, 0);
    const named = new Set(diagnoseBlock(block.values, block.rateHz, machine).diagnoses.map((d) => d.fault));
    for (const f of named) counts.set(f, (counts.get(f) ?? 0) + 1);
    if ((second + 1) % perWindow !== 0) continue;
    for (const closed of windows.drain()) {
      const action = health.score({ ...closed.features, anomalyScore: null, health: null }, sensor);
      if (action?.kind === 'raise' && result.alertSecond === null) result.alertSecond = closed.end / 1000;
    }
    const label = fleet.labelAt(assetId, sensor.id, second);
    result.windows.push({
      label: label.fault,
      severity: label.severity,
      named: new Set([...counts].filter(([, n]) => n >= NAMED_SHARE * perWindow).map(([f]) => f)),
      endSecond: second + 1,
    });
    counts = new Map();
  }
  return result;
}

/**
 * Runs every fault kind once per seed, the n-th seed on the n-th machine of the plant (so speeds and bearings vary),
 * and scores the diagnoses window by window. A healthy run scores every machine of the plant.
 * @throws RangeError naming `seeds`, `faults`, `durationSeconds` or `developedSeverity` when out of range.
 */
export function evaluateDiagnostics(options: EvaluationOptions): Evaluation {
  const { seeds, faults = VIBRATION_FAULTS } = options;
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every(Number.isInteger)) {
    throw new RangeError('seeds: expected a non-empty list of whole numbers');
  }
  if (!faults.every((f) => VIBRATION_FAULTS.includes(f))) {
    throw new RangeError(`faults: expected kinds among ${VIBRATION_FAULTS.join(', ')}`);
  }
  const o = {
    durationSeconds: options.durationSeconds ?? 300,
    faultStartSeconds: options.faultStartSeconds ?? 90,
    faultGrowthSeconds: options.faultGrowthSeconds ?? 150,
    developedSeverity: options.developedSeverity ?? 0.25,
  };
  if (!(o.durationSeconds > o.faultStartSeconds)) {
    throw new RangeError(`durationSeconds: expected more than faultStartSeconds (${o.faultStartSeconds})`);
  }
  if (!(o.developedSeverity > 0 && o.developedSeverity <= 1)) {
    throw new RangeError(
      `developedSeverity: expected a severity above 0 and up to 1, got ${o.developedSeverity}`,
    );
  }
  const scores = faults.map((fault) => {
    const runs = seeds.flatMap((seed, i) =>
      fault === 'healthy'
        ? PLANT.map((m) => run(seed, fault, m.id, o))
        : [run(seed, fault, PLANT[i % PLANT.length].id, o)],
    );
    return score(fault, runs, o.developedSeverity);
  });
  const windowSeconds = loadConfig({ env: {} }).pipeline.windowSeconds;
  return { seeds: [...seeds], ...o, windowSeconds, scores };
}

function score(fault: VibrationFault, runs: RunResult[], developedSeverity: number): FaultScore {
  let developed = 0;
  let detected = 0;
  let total = 0;
  let wrong = 0;
  let bearingOnHealthy = 0;
  let healthyWindows = 0;
  let runsDetected = 0;
  let namedWithoutAlert = 0;
  const leads: number[] = [];
  const named: Partial<Record<FaultName, number>> = {};
  for (const r of runs) {
    let first: number | null = null;
    for (const w of r.windows) {
      total++;
      for (const f of w.named) named[f] = (named[f] ?? 0) + 1;
      const right = w.label !== 'healthy' && w.named.has(w.label as FaultName);
      if ([...w.named].some((f) => f !== w.label)) wrong++;
      if (w.label === 'healthy') {
        healthyWindows++;
        if ([...w.named].some((f) => BEARING_FAULTS.includes(f))) bearingOnHealthy++;
      }
      if (w.label !== 'healthy' && w.severity >= developedSeverity) {
        developed++;
        if (right) detected++;
      }
      if (right && first === null) first = w.endSecond;
    }
    if (first !== null) runsDetected++;
    if (first !== null && r.alertSecond !== null) leads.push((r.alertSecond - first) / 60);
    if (first !== null && r.alertSecond === null) namedWithoutAlert++;
  }
  const isFault = fault !== 'healthy';
  return {
    fault,
    runs: runs.length,
    windows: developed,
    windowDetectionRate: isFault && developed > 0 ? detected / developed : null,
    runDetectionRate: isFault ? runsDetected / runs.length : null,
    falseDiagnosisRate: total > 0 ? wrong / total : 0,
    bearingDiagnosesOnHealthy: bearingOnHealthy,
    healthyWindows,
    alerts: runs.filter((r) => r.alertSecond !== null).length,
    medianLeadMinutes: medianOrNull(leads),
    namedWithoutAlert,
    named,
  };
}

/** The evaluation as a markdown table, one row per fault kind. */
export function evaluationTable(e: Evaluation): string {
  const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);
  const lead = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(2)}`);
  const rows = e.scores.map(
    (s) =>
      `| ${s.fault} | ${s.runs} | ${s.windows} | ${pct(s.windowDetectionRate)} | ${pct(s.runDetectionRate)} | ` +
      `${pct(s.falseDiagnosisRate)} | ${s.bearingDiagnosesOnHealthy} / ${s.healthyWindows} | ${s.alerts} / ${s.runs} | ` +
      `${lead(s.medianLeadMinutes)} |`,
  );
  return [
    '| fault | runs | developed windows | windows named right | runs named | windows naming a wrong fault | bearing named on healthy windows | health alerts | median lead over the alert, min |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
