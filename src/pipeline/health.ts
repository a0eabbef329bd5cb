import {
  type Alert,
  type AlertAction,
  DIAGNOSIS_CAUSE_PREFIX,
  type ModelRef,
  type SensorKind,
  type WindowFeatures,
  type WorkOrder,
} from '../domain/types.ts';
import { stableId } from './alert-ids.ts';
import {
  type AnomalyScore,
  alertTransition,
  anomalyScore,
  type Baseline,
  baselineFeatures,
  causeOf,
  describeFeature,
  type Hysteresis,
  healthFromScore,
  learnBaseline,
  type ScoredFeatures,
  type SensorRange,
  scoredFeatures,
  severityOf,
  smoothHealth,
  type WindowScorer,
} from './scoring.ts';
import { seriesKey } from './windows.ts';

export interface HealthOptions extends Hysteresis {
  baselineWindows: number;
  smoothing: number;
  bandEdgesHz: readonly number[];
  /** The learned model serving an asset type, or null: the baseline scorer. Absent: the baseline scorer for all. */
  scorerFor?: (assetType: string) => WindowScorer | null;
}

interface SeriesHealth {
  history: ScoredFeatures[];
  baseline: Baseline | null;
  health: number | null;
  /** The series' open alert, as last raised or escalated; null when none is open. */
  alert: Alert | null;
}

/**
 * What scoring knows of a sensor: its kind names an alert's cause, its range floors a level's scale, and its
 * asset's type chooses the learned model that scores it (absent: the baseline scorer).
 */
export type ScoredSensor = { kind: SensorKind; assetType?: string } & SensorRange;

export type { AlertAction };

const PRIORITY_OF: Record<Alert['severity'], WorkOrder['priority']> = { warning: 'high', critical: 'urgent' };

/**
 * Scores closed windows against each series' baseline and keeps per-series and per-asset health.
 * Holds state only; the caller stores the results and the actions.
 */
export class HealthTracker {
  private readonly series = new Map<string, SeriesHealth>();
  private readonly assetSensors = new Map<string, Map<string, number>>();
  private readonly options: HealthOptions;

  constructor(options: HealthOptions) {
    this.options = options;
  }

  /**
   * Rebuilds state from stored windows: the first ones give the baseline, the latest the health; and the open
   * alert of each series from the active ones, diagnosis alerts left out.
   */
  restore(first: WindowFeatures[], latest: WindowFeatures[], activeAlerts: Alert[]) {
    for (const f of first) {
      const state = this.stateOf(f.assetId, f.sensorId);
      if (!state.baseline) this.learn(state, baselineFeatures(f));
    }
    for (const f of latest) {
      if (f.health === null) continue;
      this.stateOf(f.assetId, f.sensorId).health = f.health;
      this.setSensorHealth(f.assetId, f.sensorId, f.health);
    }
    for (const a of activeAlerts) {
      // A named fault's alert is the diagnosis tracker's (see diagnosis-alerts.ts).
      if (a.cause.startsWith(DIAGNOSIS_CAUSE_PREFIX)) continue;
      const state = this.stateOf(a.assetId, a.sensorId);
      if (state.alert && a.raisedAt <= state.alert.raisedAt) continue;
      const { id, assetId, sensorId, cause, severity, status, health, score, message, raisedAt } = a;
      state.alert = {
        id,
        assetId,
        sensorId,
        cause,
        severity,
        status,
        health,
        score,
        message,
        raisedAt,
        resolvedAt: null,
        model: a.model ?? null,
      };
    }
  }

  /**
   * Fills anomalyScore and health on the window and says whether an alert is raised, escalated or cleared.
   * The sensor's registered range floors the scale of its level (see scaleOf), so the same physical change
   * gives the same decision in any unit. The learned model of the sensor's asset type scores the window when
   * there is one and it accepts the window; its alerts carry its ModelRef, the baseline scorer's `model: null`.
   */
  score(features: WindowFeatures, sensor: ScoredSensor): AlertAction | null {
    const state = this.stateOf(features.assetId, features.sensorId);
    if (!state.baseline) {
      this.learn(state, baselineFeatures(features));
      return null;
    }
    const candidate =
      sensor.assetType !== undefined ? (this.options.scorerFor?.(sensor.assetType) ?? null) : null;
    const scorer = candidate && (candidate.accepts?.(features, state.baseline) ?? true) ? candidate : null;
    const model: ModelRef | null = scorer ? scorer.model : null;
    // The baseline scorer scores exactly the scored features; the rest of the baseline is the models'.
    const anomaly = scorer
      ? scorer.score(features, state.baseline, sensor)
      : anomalyScore(scoredFeatures(features), state.baseline, sensor);
    const health = smoothHealth(state.health, healthFromScore(anomaly.score), this.options.smoothing);
    state.health = health;
    features.anomalyScore = anomaly.score;
    features.health = health;
    this.setSensorHealth(features.assetId, features.sensorId, health);

    const transition = alertTransition(state.alert?.severity ?? null, health, this.options);
    if (transition === 'clear') {
      state.alert = null;
      return {
        kind: 'clear',
        assetId: features.assetId,
        sensorId: features.sensorId,
        at: features.windowEnd,
      };
    }
    const what = anomaly.feature ? describeFeature(anomaly.feature, this.options.bandEdgesHz) : 'features';
    const message = `${features.sensorId}: ${what}${deviation(anomaly)}; health ${health.toFixed(0)}/100`;
    if (transition === 'escalate' && state.alert) {
      const severity = severityOf(health, this.options);
      state.alert = {
        ...state.alert,
        severity,
        health: Math.round(health * 10) / 10,
        score: anomaly.score,
        message,
        model,
      };
      return {
        kind: 'escalate',
        alert: state.alert,
        priority: PRIORITY_OF[severity],
        at: features.windowEnd,
      };
    }
    if (transition !== 'raise') return null;
    const cause = causeOf(sensor.kind);
    const severity = severityOf(health, this.options);
    const alert: Alert = {
      id: stableId('alr', features.assetId, features.sensorId, cause, features.windowStart),
      assetId: features.assetId,
      sensorId: features.sensorId,
      cause,
      severity,
      status: 'active',
      health: Math.round(health * 10) / 10,
      score: anomaly.score,
      message,
      raisedAt: features.windowEnd,
      resolvedAt: null,
      model,
    };
    state.alert = alert;
    const workOrder: WorkOrder = {
      id: stableId('wo', alert.id),
      assetId: alert.assetId,
      sensorId: alert.sensorId,
      cause,
      alertId: alert.id,
      title: `Inspect ${alert.assetId}: ${sensor.kind} anomaly on ${alert.sensorId} (${what})`,
      priority: PRIORITY_OF[severity],
      status: 'open',
      createdAt: alert.raisedAt,
    };
    return { kind: 'raise', alert, workOrder };
  }

  /** An asset's health is its worst sensor's; null until a baseline exists. */
  assetHealth(assetId: string): number | null {
    const sensors = this.assetSensors.get(assetId);
    return sensors && sensors.size > 0 ? Math.min(...sensors.values()) : null;
  }

  private learn(state: SeriesHealth, scored: ScoredFeatures): void {
    state.history.push(scored);
    if (state.history.length >= this.options.baselineWindows) {
      state.baseline = learnBaseline(state.history);
      state.history = [];
    }
  }

  private setSensorHealth(assetId: string, sensorId: string, health: number): void {
    let sensors = this.assetSensors.get(assetId);
    if (!sensors) {
      sensors = new Map();
      this.assetSensors.set(assetId, sensors);
    }
    sensors.set(sensorId, health);
  }

  private stateOf(assetId: string, sensorId: string): SeriesHealth {
    const key = seriesKey(assetId, sensorId);
    let state = this.series.get(key);
    if (!state) {
      state = { history: [], baseline: null, health: null, alert: null };
      this.series.set(key, state);
    }
    return state;
  }
}

/** How far the feature moved: a ratio for a quantity with a physical zero, both values for a level. */
function deviation(anomaly: AnomalyScore): string {
  if (anomaly.ratio !== null) return ` at ${anomaly.ratio.toFixed(1)}× its baseline`;
  if (anomaly.value === null || anomaly.median === null) return '';
  const shown = (v: number) => String(Number(v.toPrecision(4)));
  return ` ${shown(anomaly.value)} against a baseline of ${shown(anomaly.median)}`;
}
