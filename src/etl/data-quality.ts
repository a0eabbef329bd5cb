import {
  closedInterval,
  type QualityThresholds,
  SensorAudit,
  type SensorQuality,
} from '../domain/data-quality.ts';
import type { Sensor } from '../domain/types.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import type { WindowLedger } from '../storage/ports/window-ledger.ts';

/** Readings read per call to the raw store: bounds memory whatever the range. */
const PAGE = 50_000;

/** Where the audit reads: the registry's sensors, the raw store, the stored windows. */
export interface QualitySources {
  sensors(): Promise<Sensor[]>;
  raw: Pick<RawStore, 'readReadings'>;
  ledger: WindowLedger;
}

export interface QualityRun {
  from: number;
  to: number;
  now: number;
  /** The processor's window length and allowed lateness (ms), from the pipeline settings. */
  windowMs: number;
  latenessMs: number;
  thresholds: QualityThresholds;
  /** Only this asset's sensors. */
  assetId?: string;
  onSensor?: (done: number, total: number) => void;
}

export interface QualityTotals {
  sensors: number;
  sensorsWithIssues: number;
  gaps: number;
  flatLines: number;
  outOfRange: number;
  atLimit: number;
  lateReadings: number;
  skewedSensors: number;
}

export interface QualityReport {
  from: string;
  to: string;
  thresholds: QualityThresholds & { windowSeconds: number; allowedLatenessSeconds: number };
  totals: QualityTotals;
  sensors: SensorQuality[];
  /** Sensors not audited, and why (sample blocks are not scalar readings). */
  notAssessed: { sensorId: string; assetId: string; reason: string }[];
}

export function totalsOf(sensors: SensorQuality[]): QualityTotals {
  const add = (f: (s: SensorQuality) => number) => sensors.reduce((n, s) => n + f(s), 0);
  return {
    sensors: sensors.length,
    sensorsWithIssues: sensors.filter((s) => s.issues > 0).length,
    gaps: add((s) => s.gaps.count),
    flatLines: add((s) => s.flatLines.count),
    outOfRange: add((s) => s.outOfRange.below + s.outOfRange.above),
    atLimit: add((s) => s.outOfRange.atLimit),
    lateReadings: add((s) => s.lateReadings ?? 0),
    skewedSensors: sensors.filter((s) => s.clockSkew.flagged).length,
  };
}

/**
 * Audits every active sensor's scalar readings over [from, to) through the ports, one sensor at a time,
 * paging the raw store. A sensor that stored no reading and whose kind is vibration sends sample blocks
 * and is listed as not assessed. Throws what the stores throw.
 */
export async function auditRange(sources: QualitySources, run: QualityRun): Promise<QualityReport> {
  const sensors = (await sources.sensors())
    .filter((s) => run.assetId === undefined || s.assetId === run.assetId)
    .sort((a, b) => a.assetId.localeCompare(b.assetId) || a.id.localeCompare(b.id));
  const w = run.windowMs;
  const windows = await sources.ledger.sensorWindows(Math.ceil(run.from / w) * w, Math.floor(run.to / w) * w);
  const end = Math.min(run.to, run.now);
  const audited: SensorQuality[] = [];
  const notAssessed: QualityReport['notAssessed'] = [];
  for (const [i, sensor] of sensors.entries()) {
    const evidence = windows.get(sensor.id);
    const closed = closedInterval(run.from, run.to, w, evidence?.closedUntil ?? null);
    const audit = new SensorAudit(sensor, { from: run.from, to: run.to }, run.thresholds, closed);
    let cursor = run.from;
    let read = 0;
    for (;;) {
      const page = await sources.raw.readReadings(cursor, run.to, PAGE, [sensor.id]);
      for (const r of page) audit.add(r.ts, r.value);
      read += page.length;
      if (page.length < PAGE) break;
      // Timestamps are unique per sensor (the store's key): the next page starts just after this one.
      cursor = (page.at(-1)?.ts ?? run.to) + 1;
    }
    if (read === 0 && sensor.kind === 'vibration') {
      notAssessed.push({ sensorId: sensor.id, assetId: sensor.assetId, reason: 'sends sample blocks' });
    } else {
      audited.push(
        audit.finish(
          end,
          run.now,
          evidence && evidence.closedUntil !== null
            ? {
                closed,
                counted: evidence.counted,
                medianCloseDelayMs: evidence.medianCloseDelayMs,
                latenessMs: run.latenessMs,
              }
            : null,
        ),
      );
    }
    run.onSensor?.(i + 1, sensors.length);
  }
  return {
    from: new Date(run.from).toISOString(),
    to: new Date(run.to).toISOString(),
    thresholds: {
      ...run.thresholds,
      windowSeconds: run.windowMs / 1000,
      allowedLatenessSeconds: run.latenessMs / 1000,
    },
    totals: totalsOf(audited),
    sensors: audited,
    notAssessed,
  };
}
