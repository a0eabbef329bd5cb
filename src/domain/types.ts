/** Pure domain types. Times are epoch milliseconds in memory and timestamptz in storage. */
import type { MachineBearing } from '../diagnostics/diagnosis.ts';
import type { Foundation, MachineGroup, SeverityZone, ZoneBoundaries } from '../diagnostics/severity.ts';
import type { SpeedSetting } from '../diagnostics/speed.ts';

export type SensorKind = 'vibration' | 'temperature' | 'current' | 'pressure' | 'speed' | 'other';
export const sensorKinds: SensorKind[] = [
  'vibration',
  'temperature',
  'current',
  'pressure',
  'speed',
  'other',
];

export interface Site {
  id: string;
  name: string;
}

export interface Sensor {
  id: string;
  assetId: string;
  kind: SensorKind;
  unit: string;
  /** Nominal rate for sample blocks, or how often a scalar is read. */
  sampleRateHz: number;
  /**
   * true: sample blocks may come at any rate (a sensor whose rate is set per measurement); false or absent:
   * a block's rateHz must be within ±1 % of sampleRateHz.
   */
  rateVaries?: boolean;
  /** Physically possible range; readings outside it are rejected at ingest. */
  validMin: number;
  validMax: number;
  /** Set once the sensor is retired: its readings are refused from then on. */
  retiredAt?: string | null;
  /** Vibration sensors: the bearings it watches, for envelope diagnosis (see diagnostics/diagnosis.ts). */
  bearings?: MachineBearing[] | null;
  /** Vibration sensors: the direction it measures. */
  axis?: 'radial' | 'axial' | null;
}

/** An asset's machine model: how its running speed is known and its ISO 20816-3 class. */
export interface AssetMachine {
  speed: SpeedSetting;
  severity?: { group: MachineGroup; foundation: Foundation; boundaries?: Partial<ZoneBoundaries> };
}

export interface Asset {
  id: string;
  siteId: string;
  lineId: string;
  name: string;
  kind: string;
  sensors: Sensor[];
  health?: number | null;
  healthUpdatedAt?: string | null;
  /** ISO 22400 planned run time per item, for OEE; null for an asset that does not produce items. */
  idealCycleSeconds?: number | null;
  retiredAt?: string | null;
  /** The machine model vibration diagnosis needs; null or absent: not diagnosed. */
  machine?: AssetMachine | null;
  /** Counts API updates: the ETag. */
  version?: number;
}

/** A single value: `{sensorId, ts, value}`. */
export interface ScalarReading {
  sensorId: string;
  ts: number;
  value: number;
}

/** A block of evenly spaced samples starting at ts: `{sensorId, ts, rateHz, values[]}`. */
export interface SampleBlock {
  sensorId: string;
  ts: number;
  rateHz: number;
  values: number[];
}

export type Reading = ScalarReading | SampleBlock;

export function isSampleBlock(reading: Reading): reading is SampleBlock {
  return (reading as SampleBlock).values !== undefined;
}

/** What ingest publishes per asset: readings enriched with where they come from. */
export interface ReadingEnvelope {
  assetId: string;
  siteId: string;
  readings: Reading[];
}

export interface TimeDomainFeatures {
  count: number;
  mean: number;
  min: number;
  max: number;
  /** Population standard deviation. */
  std: number;
  rms: number;
  peakToPeak: number;
  /** null when undefined: a flat signal has no crest factor, skewness or kurtosis. */
  crestFactor: number | null;
  skewness: number | null;
  /** Pearson's kurtosis: 3 for a normal distribution, 1.5 for a sine. */
  kurtosis: number | null;
}

export interface WindowFeatures extends TimeDomainFeatures {
  assetId: string;
  sensorId: string;
  windowStart: number;
  windowEnd: number;
  /** Sample blocks only. */
  dominantHz: number | null;
  bandEnergies: number[] | null;
  anomalyScore: number | null;
  health: number | null;
  /** Vibration sensors with a machine model: r.m.s. velocity over the window's blocks, mm/s (10–1000 Hz). */
  velocityRms?: number | null;
  /** ISO 20816-3 zone of velocityRms for the asset's machine class. */
  severityZone?: SeverityZone | null;
  /** Vibration sensors with a machine model: speed, envelope levels and named faults of the window. */
  diagnostics?: WindowDiagnostics | null;
}

/** A bearing defect's strongest envelope level over a window's blocks. */
export interface EnvelopeLevel {
  /** Bearing label, e.g. "6205 (drive end)". */
  bearing: string;
  defect: 'bpfo' | 'bpfi' | 'rollingElement' | 'ftf';
  /** Defect frequency at the speed used, Hz, and where the strongest peak was found. */
  expectedHz: number;
  foundHz: number;
  /** Level of the fundamental above the envelope spectrum's local floor, dB. */
  dbAboveFloor: number;
}

/** A fault named in a window: its highest confidence, in how many blocks, and the strongest block's evidence. */
export interface WindowDiagnosis {
  fault: string;
  bearing?: { designation: string; location: string | null };
  confidence: number;
  blocks: number;
  evidence: Record<string, number>;
  message: string;
}

/** What vibration diagnosis found over a window's sample blocks (see pipeline/diagnostics.ts). */
export interface WindowDiagnostics {
  /** Blocks diagnosed, and those that could not be, with the first reason. */
  blocks: number;
  skipped?: { blocks: number; reason: string };
  /** Blocks diagnosed without a velocity (too short for the 10 Hz band edge), with the first reason. */
  velocitySkipped?: { blocks: number; reason: string };
  /** Running speed used (mean over the blocks that had one) and its source; hz null with the reason when none. */
  speed: { source: string; hz: number | null; rpm: number | null; reason?: string };
  /** Envelope band of the block with the strongest defect level, Hz. */
  band: { lowHz: number; highHz: number } | null;
  envelope: EnvelopeLevel[];
  diagnoses: WindowDiagnosis[];
  /**
   * Rules the blocks could not evaluate (orders or defect frequencies the spectrum does not resolve, an
   * envelope that could not be made), each with its bearing when it has one, the first reason and how many
   * blocks declined it. Absent when none was.
   */
  declined?: { rule: string; bearing?: string; reason: string; blocks: number }[];
}

export type AlertSeverity = 'warning' | 'critical';

/** Cause prefix of the alerts and work orders of a named fault (see pipeline/diagnosis-alerts.ts). */
export const DIAGNOSIS_CAUSE_PREFIX = 'diagnosis:';
export type AlertStatus = 'active' | 'resolved';

/** The learned model that scored a window or raised an alert: registered name and version (MLflow's). */
export interface ModelRef {
  name: string;
  version: string;
}

/** The fields every alert has, as stored, served (GET /v1/alerts) and published (mantis.alerts.v1). */
export const ALERT_FIELDS = [
  'id',
  'assetId',
  'sensorId',
  'cause',
  'severity',
  'status',
  'health',
  'score',
  'message',
  'raisedAt',
  'resolvedAt',
] as const;

export interface Alert {
  id: string;
  assetId: string;
  sensorId: string;
  cause: string;
  severity: AlertSeverity;
  status: AlertStatus;
  health: number;
  score: number;
  message: string;
  raisedAt: number;
  resolvedAt: number | null;
  /** The learned model whose score raised it; null or absent: the baseline scorer. */
  model?: ModelRef | null;
}

/** An alert as read back: who acknowledged or resolved it (null: nobody, or the processor on recovery). */
export interface AlertView extends Alert {
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
}

export type WorkOrderStatus = 'open' | 'assigned' | 'in_progress' | 'done' | 'cancelled';
export const openWorkOrderStatuses: WorkOrderStatus[] = ['open', 'assigned', 'in_progress'];

/**
 * The evidence of the alert behind a work order, as the alert stands now (raisedAt: epoch ms; health 0–100,
 * score the anomaly score that raised or last escalated it).
 */
export type WorkOrderAlertEvidence = Pick<
  Alert,
  'id' | 'sensorId' | 'cause' | 'severity' | 'status' | 'health' | 'score' | 'message' | 'raisedAt'
>;

/**
 * A work order as read back: who it is assigned to, its version for If-Match, where its asset stands (site and
 * line) and the evidence of its alert (null for an order opened by hand).
 */
export interface WorkOrderView extends WorkOrder {
  assignee: string | null;
  version: number;
  updatedAt: number;
  siteId: string;
  lineId: string;
  alert: WorkOrderAlertEvidence | null;
  /**
   * What closing it found (domain/work-orders.ts `ConfirmedCause`): a named fault, `other:<text>` or
   * `no-fault-found`; null until done, and for orders closed before findings were kept ("not stated").
   */
  confirmedCause: string | null;
}

/**
 * A work order closed with a finding, as label derivation reads it (epoch ms): raised when the order was
 * opened (by its first alert, or by hand), closed at its done step, by whom.
 */
export interface ClosedFinding {
  workOrderId: string;
  assetId: string;
  /** null for an order about the whole asset. */
  sensorId: string | null;
  /** The cause the order was raised for (`vibration-anomaly`, `diagnosis:…`, `manual`). */
  cause: string;
  confirmedCause: string;
  raisedAt: number;
  closedAt: number;
  closedBy: string;
}

export interface WorkOrder {
  id: string;
  assetId: string;
  /** null for an order opened by hand about the whole asset. */
  sensorId: string | null;
  cause: string;
  /** null for an order opened by hand. */
  alertId: string | null;
  title: string;
  priority: 'low' | 'medium' | 'high' | 'urgent';
  status: WorkOrderStatus;
  createdAt: number;
}

/**
 * What scoring a closed window decided (see pipeline/health.ts): a raised alert with its work order; an open
 * alert escalated (its new severity, health, score and message, and the priority its open work order takes);
 * an alert cleared on recovery: the one of `cause` (a diagnosis), or without it every active alert of the
 * sensor that is not a diagnosis's (cause `diagnosis:…`).
 */
export type AlertAction =
  | { kind: 'raise'; alert: Alert; workOrder: WorkOrder }
  | { kind: 'escalate'; alert: Alert; priority: WorkOrder['priority']; at: number }
  | { kind: 'clear'; assetId: string; sensorId: string; at: number; cause?: string };
