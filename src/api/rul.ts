import { configSchema } from '../config/schema.ts';
import type { Asset, WindowFeatures } from '../domain/types.ts';
import { type AssetRulEstimate, assetRemainingUsefulLife, type HealthPoint } from '../ml/rul.ts';
import type { FeatureReader } from '../storage/ports/feature-reader.ts';

/** What the estimate of an asset reads: how far back, and the alert line (the failure line is half of it). */
export interface RulSettings {
  /** ml.rulLookbackHours. */
  lookbackHours: number;
  /** scoring.alertBelow, health 0–100. */
  alertBelow: number;
}

/** The settings' defaults, from the configuration schema. */
export function defaultRulSettings(): RulSettings {
  const config = configSchema.parse({});
  return { lookbackHours: config.ml.rulLookbackHours, alertBelow: config.scoring.alertBelow };
}

const HOUR_MS = 3_600_000;
/** Windows read per sensor at most (4 h of 10 s windows); older history comes from roll-up buckets. */
const MAX_WINDOWS = 1_440;
/** Points of each kind returned for a chart. */
const CHART_POINTS = 120;
const BUCKET_MS = { '1m': 60_000, '1h': HOUR_MS } as const;

/** What the estimate was read from, beside the estimate itself (docs/remaining-useful-life.md). */
export interface RulSource {
  lookbackHours: number;
  /** 'windows': every fitted point is a window's health; else older ones are roll-up buckets' lowest health. */
  source: 'windows' | '1m' | '1h';
  /** Epoch ms from which points are windows; before it, roll-up buckets. */
  windowsFrom: number;
}

/**
 * An asset's remaining useful life from its stored health over the last `lookbackHours`. Each active sensor's
 * windows are read over the most recent span that holds at most MAX_WINDOWS of them (window length from the
 * latest windows, 10 s when none), the full lookback when it is shorter. Before that span, a sensor whose
 * windows never read health 100 (its degradation began earlier) gets the lowest health of each 1-minute
 * roll-up bucket (lookback up to 24 h) or hourly one (longer) that ends by the span's start: a bucket's worst
 * window, so a fit reaching into roll-ups leans early. A sensor that reads 100 within the span
 * needs nothing older, as the fit starts where health last left 100 (ml/rul.ts). The most urgent sensor's
 * estimate is kept, its points and trend thinned to CHART_POINTS each.
 */
export async function readRemainingUsefulLife(
  features: Pick<FeatureReader, 'queryFeatures' | 'queryRollups'>,
  asset: Asset,
  latest: Record<string, WindowFeatures>,
  settings: RulSettings,
  now = Date.now(),
): Promise<AssetRulEstimate & RulSource> {
  const sensors = asset.sensors.filter((s) => !s.retiredAt).map((s) => s.id);
  const lengths = Object.values(latest).map((f) => f.windowEnd - f.windowStart);
  const windowMs = lengths.length > 0 ? Math.max(1, Math.min(...lengths)) : 10_000;
  const from = now - settings.lookbackHours * HOUR_MS;
  const resolution: '1m' | '1h' = settings.lookbackHours <= 24 ? '1m' : '1h';
  const windowsFrom = Math.max(from, now - MAX_WINDOWS * windowMs);
  // Whole buckets only, ending by windowsFrom: a bucket across it would count its windows twice.
  const rollupsTo = Math.floor(windowsFrom / BUCKET_MS[resolution]) * BUCKET_MS[resolution];
  const windows = new Map<string, HealthPoint[]>(sensors.map((id) => [id, []]));
  if (sensors.length > 0) {
    const q = { assetId: asset.id, from: windowsFrom, to: now + 1, limit: 2 * MAX_WINDOWS * sensors.length };
    for (const f of await features.queryFeatures(q)) {
      if (f.health !== null) windows.get(f.sensorId)?.push({ t: f.windowStart, health: f.health });
    }
  }
  // Roll-ups only for sensors still below 100 at the start of their windows: the others' fit starts later.
  const older = new Map<string, HealthPoint[]>();
  const needOlder = sensors.filter((id) => !windows.get(id)?.some((p) => p.health >= 100));
  if (needOlder.length > 0 && rollupsTo > from) {
    const q = { assetId: asset.id, from, to: rollupsTo, resolution, limit: 2 * MAX_WINDOWS * sensors.length };
    for (const r of await features.queryRollups(q)) {
      if (r.minHealth === null || !needOlder.includes(r.sensorId)) continue;
      const list = older.get(r.sensorId) ?? [];
      list.push({ t: r.bucket, health: r.minHealth });
      older.set(r.sensorId, list);
    }
  }
  const series = new Map(sensors.map((id) => [id, [...(older.get(id) ?? []), ...(windows.get(id) ?? [])]]));
  const estimate = assetRemainingUsefulLife(series, { alertBelow: settings.alertBelow });
  const fitted = estimate.sensorId === null ? [] : (series.get(estimate.sensorId) ?? []);
  return {
    ...estimate,
    points: thin(estimate.points),
    trend: thin(estimate.trend),
    lookbackHours: settings.lookbackHours,
    source: sinceLeft100(fitted).some((p) => p.t < windowsFrom) ? resolution : 'windows',
    windowsFrom,
  };
}

/** The points after the last one at health 100: those the estimate fits (ml/rul.ts), binned or not. */
function sinceLeft100(points: HealthPoint[]): HealthPoint[] {
  return points.slice(points.findLastIndex((p) => p.health >= 100) + 1);
}

/** Every k-th point and the last, at most CHART_POINTS + 1. */
function thin(points: HealthPoint[]): HealthPoint[] {
  if (points.length <= CHART_POINTS) return points;
  const step = Math.ceil(points.length / CHART_POINTS);
  const out = points.filter((_, i) => i % step === 0);
  if (out.at(-1) !== points.at(-1)) out.push(points[points.length - 1]);
  return out;
}

const statuses = ['estimated', 'insufficient-trend', 'not-degrading', 'below-threshold'] as const;

const point = {
  type: 'object',
  additionalProperties: false,
  required: ['t', 'health'],
  properties: {
    t: { type: 'number', description: 'epoch ms' },
    health: { type: 'number', description: 'health, 0–100' },
  },
} as const;

const crossing = (line: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['threshold', 'reached', 'at', 'hoursLeft', 'low', 'high'],
    description: `when health crosses the ${line}; absent unless estimated or below-threshold`,
    properties: {
      threshold: { type: 'number', description: 'the health line, 0–100' },
      reached: { type: 'boolean', description: 'the latest health is already below it' },
      at: {
        type: 'number',
        description: 'predicted crossing, epoch ms; when reached, the first point below it',
      },
      hoursLeft: { type: 'number', minimum: 0, description: 'hours from asOf to at; 0 when reached' },
      low: {
        type: 'number',
        description: 'lower bound of hoursLeft, hours (interval of the given confidence)',
      },
      high: { type: 'number', description: 'upper bound of hoursLeft, hours' },
    },
  }) as const;

/** The `remainingUsefulLife` field of GET /v1/assets/{id} (docs/remaining-useful-life.md). */
export const rulResponseSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    "remaining useful life: the most urgent sensor's health trend (exponential degradation of the anomaly score, " +
    'Theil–Sen fit) and when it crosses the alert and failure lines, or the plain reason there is no estimate',
  required: [
    'status',
    'model',
    'confidence',
    'asOf',
    'health',
    'fittedOn',
    'sensorId',
    'sensors',
    'points',
    'trend',
    'lookbackHours',
    'source',
    'windowsFrom',
  ],
  properties: {
    status: {
      type: 'string',
      enum: statuses,
      description:
        'estimated: alert and failure predicted; insufficient-trend: too few points falling to fit; ' +
        'not-degrading: health steady or rising; below-threshold: already below the failure line',
    },
    reason: { type: 'string', description: 'why there is no estimate; absent when estimated' },
    model: {
      type: 'string',
      enum: ['exponential', 'linear'],
      description: 'exponential: ln(anomaly score) linear in time; linear: the score itself',
    },
    confidence: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      description: 'two-sided confidence of the intervals, 0–1',
    },
    sensorId: {
      type: ['string', 'null'],
      description: 'the sensor the estimate is for; null when none has health',
    },
    asOf: {
      type: ['number', 'null'],
      description: 'latest point, epoch ms: hours left count from it; null without points',
    },
    health: {
      type: ['number', 'null'],
      description: 'latest health of that sensor, 0–100; null without points',
    },
    alert: crossing('alert line (scoring.alertBelow)'),
    failure: crossing('failure line (half the alert line, where alerts turn critical)'),
    fittedOn: {
      type: ['object', 'null'],
      additionalProperties: false,
      description: 'the fit; null when too few points were there to fit',
      required: [
        'from',
        'to',
        'points',
        'signal',
        'slopePerHour',
        'slopeLowPerHour',
        'slopeHighPerHour',
        'healthAtEnd',
      ],
      properties: {
        from: { type: 'number', description: 'first fitted point, epoch ms' },
        to: { type: 'number', description: 'last fitted point, epoch ms' },
        points: { type: 'integer', minimum: 0, description: 'points fitted' },
        signal: {
          type: 'string',
          enum: ['ln(score)', 'score'],
          description: 'what is fitted against time: ln(anomaly score) (exponential) or the score (linear)',
        },
        slopePerHour: {
          type: 'number',
          description: 'Theil–Sen slope of the signal per hour (positive: degrading)',
        },
        slopeLowPerHour: { type: 'number', description: 'lower bound of the slope, per hour' },
        slopeHighPerHour: { type: 'number', description: 'upper bound of the slope, per hour' },
        healthAtEnd: { type: 'number', description: 'health on the fitted curve at `to`, 0–100' },
      },
    },
    points: {
      type: 'array',
      items: point,
      description: 'the fitted points (health since it left 100), thinned to about 120',
    },
    trend: {
      type: 'array',
      items: point,
      description: 'the fitted curve up to the predicted failure, thinned; empty unless estimated',
    },
    sensors: {
      type: 'array',
      description: "each active sensor's status",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sensorId', 'status', 'failureHoursLeft'],
        properties: {
          sensorId: { type: 'string' },
          status: { type: 'string', enum: statuses },
          failureHoursLeft: {
            type: ['number', 'null'],
            description: 'hours until its failure line; null without a crossing',
          },
        },
      },
    },
    lookbackHours: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'ml.rulLookbackHours: history read, hours',
    },
    source: {
      type: 'string',
      enum: ['windows', '1m', '1h'],
      description:
        "what the fitted points are: windows' health only, or also, before windowsFrom, the lowest health of 1-minute or hourly roll-up buckets",
    },
    windowsFrom: {
      type: 'number',
      description:
        'epoch ms from which points are windows (at most 1 440 per sensor); before it, roll-up buckets',
    },
  },
} as const;
