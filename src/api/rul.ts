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
/** Points per sensor read at most: the windows while the lookback holds this many, else roll-up buckets. */
const MAX_SERIES_POINTS = 1_440;
/** Points of each kind returned for a chart. */
const CHART_POINTS = 120;

/**
 * An asset's remaining useful life from its stored health over the last `lookbackHours`: each active
 * sensor's windows while they number at most MAX_SERIES_POINTS (window length from the latest windows, 10 s
 * when none), else the lowest health of each 1-minute roll-up bucket up to 24 h, else of each hourly one (a
 * bucket's worst window, so estimates from roll-ups lean early). The most urgent sensor's estimate is kept
 * (ml/rul.ts), its points and trend thinned to CHART_POINTS each.
 */
export async function readRemainingUsefulLife(
  features: Pick<FeatureReader, 'queryFeatures' | 'queryRollups'>,
  asset: Asset,
  latest: Record<string, WindowFeatures>,
  settings: RulSettings,
  now = Date.now(),
): Promise<AssetRulEstimate & { lookbackHours: number; source: 'windows' | '1m' | '1h' }> {
  const sensors = asset.sensors.filter((s) => !s.retiredAt).map((s) => s.id);
  const lengths = Object.values(latest).map((f) => f.windowEnd - f.windowStart);
  const windowMs = lengths.length > 0 ? Math.max(1, Math.min(...lengths)) : 10_000;
  const span = settings.lookbackHours * HOUR_MS;
  const resolution = settings.lookbackHours <= 24 ? '1m' : '1h';
  const source = span / windowMs <= MAX_SERIES_POINTS ? 'windows' : resolution;
  const q = {
    assetId: asset.id,
    from: now - span,
    to: now + 1,
    limit: 2 * MAX_SERIES_POINTS * sensors.length,
  };
  const series = new Map<string, HealthPoint[]>(sensors.map((id) => [id, []]));
  if (sensors.length > 0 && source === 'windows') {
    for (const f of await features.queryFeatures(q)) {
      if (f.health !== null) series.get(f.sensorId)?.push({ t: f.windowStart, health: f.health });
    }
  } else if (sensors.length > 0) {
    for (const r of await features.queryRollups({ ...q, resolution })) {
      if (r.minHealth !== null) series.get(r.sensorId)?.push({ t: r.bucket, health: r.minHealth });
    }
  }
  const estimate = assetRemainingUsefulLife(series, { alertBelow: settings.alertBelow });
  return {
    ...estimate,
    points: thin(estimate.points),
    trend: thin(estimate.trend),
    lookbackHours: settings.lookbackHours,
    source,
  };
}

/** Every k-th point and the last, at most CHART_POINTS + 1. */
function thin(points: HealthPoint[]): HealthPoint[] {
  if (points.length <= CHART_POINTS) return points;
  const step = Math.ceil(points.length / CHART_POINTS);
  const out = points.filter((_, i) => i % step === 0);
  if (out.at(-1) !== points.at(-1)) out.push(points[points.length - 1]);
  return out;
}

const point = {
  type: 'object',
  required: ['t', 'health'],
  properties: { t: { type: 'number', description: 'epoch ms' }, health: { type: 'number' } },
} as const;

const crossing = (line: string) =>
  ({
    type: 'object',
    required: ['threshold', 'reached', 'at', 'hoursLeft', 'low', 'high'],
    description: `when health crosses the ${line}`,
    properties: {
      threshold: { type: 'number', description: 'the health line, 0–100' },
      reached: { type: 'boolean', description: 'the latest health is already below it' },
      at: {
        type: 'number',
        description: 'predicted crossing, epoch ms; when reached, the first point below it',
      },
      hoursLeft: { type: 'number', description: 'hours from asOf to at; 0 when reached' },
      low: { type: 'number', description: 'lower bound of hoursLeft (interval of the given confidence)' },
      high: { type: 'number', description: 'upper bound of hoursLeft' },
    },
  }) as const;

/** The `remainingUsefulLife` field of GET /v1/assets/{id} (docs/remaining-useful-life.md). */
export const rulResponseSchema = {
  type: 'object',
  description:
    "remaining useful life: the most urgent sensor's health trend (exponential degradation of the anomaly score, " +
    'Theil–Sen fit) and when it crosses the alert and failure lines, or the plain reason there is no estimate',
  required: [
    'status',
    'model',
    'confidence',
    'sensorId',
    'sensors',
    'points',
    'trend',
    'lookbackHours',
    'source',
  ],
  properties: {
    status: { type: 'string', enum: ['estimated', 'insufficient-trend', 'not-degrading', 'below-threshold'] },
    reason: { type: 'string', description: 'why there is no estimate; absent when estimated' },
    model: { type: 'string', enum: ['exponential', 'linear'] },
    confidence: { type: 'number', description: 'two-sided confidence of the intervals, 0–1' },
    sensorId: { type: ['string', 'null'], description: 'the sensor the estimate is for' },
    asOf: { type: ['number', 'null'], description: 'latest point, epoch ms: hours left count from it' },
    health: { type: ['number', 'null'], description: 'latest health of that sensor' },
    alert: crossing('alert line (scoring.alertBelow)'),
    failure: crossing('failure line (half the alert line, where alerts turn critical)'),
    fittedOn: {
      type: ['object', 'null'],
      description: 'the fit; null when too few points were there to fit',
      properties: {
        from: { type: 'number', description: 'first fitted point, epoch ms' },
        to: { type: 'number', description: 'last fitted point, epoch ms' },
        points: { type: 'integer', description: 'points fitted' },
        signal: { type: 'string', enum: ['ln(score)', 'score'] },
        slopePerHour: { type: 'number', description: 'Theil–Sen slope of the signal per hour' },
        slopeLowPerHour: { type: 'number' },
        slopeHighPerHour: { type: 'number' },
        healthAtEnd: { type: 'number', description: 'health on the fitted curve at `to`' },
      },
    },
    points: {
      type: 'array',
      items: point,
      description: 'the fitted points (health since it left 100), thinned',
    },
    trend: {
      type: 'array',
      items: point,
      description: 'the fitted curve up to the predicted failure, thinned',
    },
    sensors: {
      type: 'array',
      description: "each active sensor's status",
      items: {
        type: 'object',
        required: ['sensorId', 'status', 'failureHoursLeft'],
        properties: {
          sensorId: { type: 'string' },
          status: { type: 'string' },
          failureHoursLeft: { type: ['number', 'null'] },
        },
      },
    },
    lookbackHours: { type: 'number', description: 'ml.rulLookbackHours' },
    source: {
      type: 'string',
      enum: ['windows', '1m', '1h'],
      description:
        "what the points are: windows' health, or the lowest health of 1-minute or hourly roll-ups",
    },
  },
} as const;
