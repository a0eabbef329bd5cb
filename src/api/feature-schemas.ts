/**
 * Response schemas of features as the API serves them: a stored window (WindowFeatures, domain/types.ts)
 * and its vibration diagnostics. Times are epoch milliseconds; values are in the sensor's unit.
 */
import { epochMs, nullableNumber } from './schemas.ts';

const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;
const reasonedCount = {
  type: 'object',
  additionalProperties: false,
  required: ['blocks', 'reason'],
  properties: {
    blocks: count('blocks concerned'),
    reason: { type: 'string', description: 'the first reason' },
  },
} as const;

/** What vibration diagnosis found over a window's sample blocks (WindowDiagnostics). */
export const windowDiagnosticsSchema = {
  type: ['object', 'null'],
  description:
    'vibration sensors with a machine model: running speed, envelope levels and named faults of the window; null otherwise',
  additionalProperties: false,
  required: ['blocks', 'speed', 'band', 'envelope', 'diagnoses'],
  properties: {
    blocks: count('sample blocks diagnosed'),
    skipped: { ...reasonedCount, description: 'blocks that could not be diagnosed' },
    velocitySkipped: { ...reasonedCount, description: 'blocks diagnosed without an r.m.s. velocity' },
    speed: {
      type: 'object',
      additionalProperties: false,
      required: ['source', 'hz', 'rpm'],
      description: 'running speed used (mean over the blocks) and where it came from',
      properties: {
        source: { type: 'string', description: '`fixed`, `sensor` or `estimated`' },
        hz: nullableNumber('shaft speed, Hz; null when none could be had'),
        rpm: nullableNumber('shaft speed, rpm'),
        reason: { type: 'string', description: 'why there is no speed' },
      },
    },
    band: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['lowHz', 'highHz'],
      description: 'envelope band of the block with the strongest defect level, Hz',
      properties: { lowHz: { type: 'number' }, highHz: { type: 'number' } },
    },
    envelope: {
      type: 'array',
      description: "each bearing defect's strongest envelope level over the window",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['bearing', 'defect', 'expectedHz', 'foundHz', 'dbAboveFloor'],
        properties: {
          bearing: { type: 'string', description: 'bearing label, e.g. "6205 (drive end)"' },
          defect: { type: 'string', enum: ['bpfo', 'bpfi', 'rollingElement', 'ftf'] },
          expectedHz: { type: 'number', description: 'defect frequency at the speed used, Hz' },
          foundHz: { type: 'number', description: 'where the strongest peak was found, Hz' },
          dbAboveFloor: {
            type: 'number',
            description: "level above the envelope spectrum's local floor, dB",
          },
        },
      },
    },
    diagnoses: {
      type: 'array',
      description: 'faults named in the window',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['fault', 'confidence', 'blocks', 'evidence', 'message'],
        properties: {
          fault: { type: 'string', description: 'e.g. `bearing-outer-race`, `unbalance`' },
          bearing: {
            type: 'object',
            additionalProperties: false,
            required: ['designation', 'location'],
            properties: { designation: { type: 'string' }, location: { type: ['string', 'null'] } },
          },
          confidence: { type: 'number', minimum: 0, maximum: 1, description: 'highest confidence, 0–1' },
          blocks: count('blocks that named it'),
          evidence: {
            type: 'object',
            additionalProperties: { type: 'number' },
            description: "the strongest block's evidence: named levels (dB, ratios, Hz)",
          },
          message: { type: 'string' },
        },
      },
    },
    declined: {
      type: 'array',
      description: 'rules the blocks could not evaluate, with the first reason',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'reason', 'blocks'],
        properties: {
          rule: { type: 'string' },
          bearing: { type: 'string' },
          reason: { type: 'string' },
          blocks: count('blocks that declined it'),
        },
      },
    },
  },
} as const;

/** One stored window of one sensor (WindowFeatures). */
export const featureWindowSchema = {
  type: 'object',
  description: 'one stored window of one sensor; values in the sensor unit',
  additionalProperties: false,
  required: [
    'assetId',
    'sensorId',
    'windowStart',
    'windowEnd',
    'count',
    'mean',
    'min',
    'max',
    'std',
    'rms',
    'peakToPeak',
    'crestFactor',
    'skewness',
    'kurtosis',
    'dominantHz',
    'bandEnergies',
    'anomalyScore',
    'health',
  ],
  properties: {
    assetId: { type: 'string' },
    sensorId: { type: 'string' },
    windowStart: epochMs('start of the window (inclusive), epoch ms'),
    windowEnd: epochMs('end of the window (exclusive), epoch ms'),
    count: count('samples in the window'),
    mean: { type: 'number', description: 'arithmetic mean' },
    min: { type: 'number', description: 'smallest sample' },
    max: { type: 'number', description: 'largest sample' },
    std: nullableNumber('population standard deviation; null when beyond the double range'),
    rms: { type: 'number', description: 'root mean square' },
    peakToPeak: nullableNumber(
      'max − min; null when beyond the double range (max near +1.8e308, min near −1.8e308)',
    ),
    crestFactor: nullableNumber('peak / RMS (dimensionless); null for a flat signal'),
    skewness: nullableNumber('third standardised moment; null for a flat signal'),
    kurtosis: nullableNumber("Pearson's kurtosis: 3 for a normal distribution; null for a flat signal"),
    dominantHz: nullableNumber('frequency of the strongest spectral line, Hz; sample blocks only'),
    bandEnergies: {
      type: ['array', 'null'],
      // JSON has no Infinity: a band's power beyond the double range is written null.
      items: { type: ['number', 'null'] },
      description:
        "spectral power (the sensor unit squared) in each band between the pipeline's band edges (Hz); sample blocks only",
    },
    anomalyScore: nullableNumber(
      'anomaly score against the sensor baseline (dimensionless); null while learning',
    ),
    health: nullableNumber('health 0 (failed) to 100 (healthy); null while learning'),
    velocityRms: nullableNumber(
      'r.m.s. velocity, mm/s (ISO 20816-3, 10–1000 Hz); vibration sensors with a machine model',
    ),
    severityZone: {
      type: ['string', 'null'],
      enum: ['A', 'B', 'C', 'D', null],
      description: 'ISO 20816-3 zone of velocityRms for the machine class',
    },
    diagnostics: windowDiagnosticsSchema,
  },
} as const;
