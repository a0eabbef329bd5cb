/**
 * Data quality of one scalar sensor over a range [from, to) (epoch ms): gaps, flat lines, values outside or at
 * its valid range, late readings and clock skew. Pure: the readings come in oldest first, one at a time, so
 * that a long range is audited without holding it in memory. Definitions and thresholds: docs/operations.md.
 */

export interface QualityThresholds {
  /** A gap is a silence longer than gapFactor × the sensor's nominal period (1 / sampleRateHz). */
  gapFactor: number;
  /** A flat line is at least this many consecutive readings of the identical value (a stuck sensor). */
  flatSamples: number;
  /** Clock skew is flagged when the sensor's timestamps lag or lead the server's clock by more (ms). */
  skewMs: number;
}

export const defaultThresholds: QualityThresholds = { gapFactor: 3, flatSamples: 30, skewMs: 60_000 };

/** The registry's view of a sensor that the audit needs. */
export interface AuditedSensor {
  id: string;
  assetId: string;
  sampleRateHz: number;
  validMin: number;
  validMax: number;
}

export interface Span {
  from: number;
  to: number;
}

/** Flat-line spans listed per sensor at most; `flatLines.count` counts them all. */
export const MAX_SPANS = 20;

/** What the stored windows tell about a sensor (see WindowLedger): late readings and clock lag. */
export interface WindowEvidence {
  /** Readings with a timestamp in [closed.from, closed.to) fall in windows the processor has closed. */
  closed: Span;
  /** Readings the stored windows of that interval counted. */
  counted: number;
  /** Median of (window stored at − window end) over the sensor's windows in the range; null: none. */
  medianCloseDelayMs: number | null;
  /** The processor's allowed lateness (ms): a window closes that long after its end at the earliest. */
  latenessMs: number;
}

export interface SensorQuality {
  sensorId: string;
  assetId: string;
  readings: number;
  /** Readings the nominal rate promises over the range. */
  expected: number;
  gaps: { count: number; totalMs: number; longest: Span | null };
  flatLines: { count: number; spans: (Span & { value: number; samples: number })[] };
  /** Stored values below validMin or above validMax (today's limits), and values exactly at a limit. */
  outOfRange: { below: number; above: number; atLimit: number };
  /** Readings stored in windows already closed but not counted by them; null: no window evidence. */
  lateReadings: number | null;
  /**
   * lagMs: median window close delay minus the allowed lateness (the sensor's clock behind the server's,
   * or its data delayed); leadMs: how far its newest timestamp is ahead of `now`. null: not measured.
   */
  clockSkew: { lagMs: number | null; leadMs: number; flagged: boolean };
  issues: number;
}

/** The streaming audit of one sensor's readings; `add` them oldest first, then `finish` once. */
export class SensorAudit {
  private readonly periodMs: number;
  private count = 0;
  private previous: number;
  private gaps = { count: 0, totalMs: 0, longest: null as Span | null };
  private run = { from: 0, to: 0, value: Number.NaN, samples: 0 };
  private flat = { count: 0, spans: [] as SensorQuality['flatLines']['spans'] };
  private range = { below: 0, above: 0, atLimit: 0 };
  private inClosed = 0;
  private newest = Number.NEGATIVE_INFINITY;

  private readonly sensor: AuditedSensor;
  private readonly span: Span;
  private readonly thresholds: QualityThresholds;
  private readonly closed: Span;

  /** `closed`: where late readings can be told (see closedInterval); empty by default. */
  constructor(
    sensor: AuditedSensor,
    span: Span,
    thresholds: QualityThresholds,
    closed: Span = { from: 0, to: 0 },
  ) {
    this.sensor = sensor;
    this.span = span;
    this.thresholds = thresholds;
    this.closed = closed;
    this.periodMs = 1000 / sensor.sampleRateHz;
    this.previous = span.from;
  }

  add(ts: number, value: number): void {
    this.count++;
    this.silence(this.previous, ts);
    this.previous = ts;
    this.newest = Math.max(this.newest, ts);
    if (value === this.run.value) {
      this.run.to = ts;
      this.run.samples++;
    } else {
      this.endRun();
      this.run = { from: ts, to: ts, value, samples: 1 };
    }
    if (value < this.sensor.validMin) this.range.below++;
    else if (value > this.sensor.validMax) this.range.above++;
    else if (value === this.sensor.validMin || value === this.sensor.validMax) this.range.atLimit++;
    if (ts >= this.closed.from && ts < this.closed.to) this.inClosed++;
  }

  /**
   * The report. `end` is where silence stops counting (the range's end, or now if earlier); `now` (epoch ms)
   * measures a lead; `windows` is null where no window evidence exists (no windows stored).
   */
  finish(end: number, now: number, windows: WindowEvidence | null): SensorQuality {
    this.silence(this.previous, end);
    this.endRun();
    const t = this.thresholds;
    const lateReadings = windows ? Math.max(0, this.inClosed - windows.counted) : null;
    const lagMs =
      windows?.medianCloseDelayMs == null ? null : windows.medianCloseDelayMs - windows.latenessMs;
    const leadMs = Math.max(0, this.newest - now);
    const flagged = (lagMs ?? 0) > t.skewMs || leadMs > t.skewMs;
    const issues =
      this.gaps.count +
      this.flat.count +
      this.range.below +
      this.range.above +
      this.range.atLimit +
      (lateReadings ?? 0) +
      (flagged ? 1 : 0);
    return {
      sensorId: this.sensor.id,
      assetId: this.sensor.assetId,
      readings: this.count,
      expected: Math.floor(((this.span.to - this.span.from) * this.sensor.sampleRateHz) / 1000),
      gaps: this.gaps,
      flatLines: this.flat,
      outOfRange: this.range,
      lateReadings,
      clockSkew: { lagMs, leadMs, flagged },
      issues,
    };
  }

  private silence(from: number, to: number): void {
    const length = to - from;
    if (length <= this.thresholds.gapFactor * this.periodMs) return;
    this.gaps.count++;
    this.gaps.totalMs += length;
    if (!this.gaps.longest || length > this.gaps.longest.to - this.gaps.longest.from) {
      this.gaps.longest = { from, to };
    }
  }

  private endRun(): void {
    if (this.run.samples < this.thresholds.flatSamples) return;
    this.flat.count++;
    if (this.flat.spans.length < MAX_SPANS) this.flat.spans.push({ ...this.run });
  }
}

/**
 * The interval of timestamps whose windows (`windowMs` long, aligned on the epoch as the processor aligns
 * them) lie wholly in [from, to) and closed before `closedUntil`: where late readings can be told.
 */
export function closedInterval(from: number, to: number, windowMs: number, closedUntil: number | null): Span {
  const start = Math.ceil(from / windowMs) * windowMs;
  const end = Math.min(Math.floor(to / windowMs) * windowMs, closedUntil ?? Number.NEGATIVE_INFINITY);
  return { from: start, to: Math.max(start, end) };
}
