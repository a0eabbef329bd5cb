import { ALERT_FIELDS } from '../domain/types.ts';
import { INGESTED_AT_HEADER } from './codec.ts';
import { topics } from './port.ts';

/**
 * The bus contract for teams that consume MANTIS's topics: each topic's key, headers and message value
 * (JSON Schema 2020-12). The published schemas are open (a consumer must ignore fields it does not know:
 * fields may be added within a topic version); test/bus-contract.test.ts checks the messages MANTIS really
 * sends against closed copies, so every field sent is documented here. `npm run bus-schemas` writes them to
 * docs/bus/ (docs/bus-contract.md).
 */

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

const epochMs = {
  type: 'number',
  description: 'Epoch milliseconds (UTC); fractions are kept.',
} as const;

const sensorId = { type: 'string', minLength: 1, description: 'The sensor, as registered.' } as const;

const scalarReading = {
  type: 'object',
  description:
    'One value of a scalar sensor (temperature, current, pressure, speed…), in its registered unit.',
  required: ['sensorId', 'ts', 'value'],
  properties: {
    sensorId,
    ts: { ...epochMs, description: 'When the value was measured: epoch milliseconds (UTC).' },
    value: {
      type: 'number',
      description: "The value, in the sensor's registered unit, within its validMin–validMax.",
    },
  },
} as const;

const sampleBlock = {
  type: 'object',
  description:
    'Evenly spaced samples of a waveform sensor (vibration): sample i was taken at ts + i × 1000 / rateHz ms.',
  required: ['sensorId', 'ts', 'rateHz', 'values'],
  properties: {
    sensorId,
    ts: { ...epochMs, description: 'When the first sample was taken: epoch milliseconds (UTC).' },
    rateHz: { type: 'number', exclusiveMinimum: 0, description: 'Sampling rate, in hertz.' },
    values: {
      type: 'array',
      minItems: 1,
      items: { type: 'number' },
      description: "The samples, in the sensor's registered unit.",
    },
  },
} as const;

/** `mantis.readings.v1`: the accepted readings of one ingest request for one asset. */
export const readingsMessageSchema = {
  $schema: DIALECT,
  title: `${topics.readings} message value`,
  description:
    'The readings of one asset accepted by one ingest request (HTTP or MQTT), each already validated against its sensor: registered, active, of this asset and site, within its valid range and the clock-skew allowance.',
  type: 'object',
  required: ['assetId', 'siteId', 'readings'],
  properties: {
    assetId: {
      type: 'string',
      minLength: 1,
      description: 'The asset the sensors belong to; also the message key.',
    },
    siteId: { type: 'string', minLength: 1, description: "The asset's site." },
    readings: {
      type: 'array',
      minItems: 1,
      description: 'Scalar readings and sample blocks, in the order they were received.',
      items: { oneOf: [scalarReading, sampleBlock] },
    },
  },
} as const;

/** `mantis.readings.dlq.v1`: one rejected item, with the field and the reason. */
export const deadLetterMessageSchema = {
  $schema: DIALECT,
  title: `${topics.deadLetters} message value`,
  description:
    'An item MANTIS did not store, with why: rejected at ingest (source http or mqtt), a bus message the processor could not decode, or a value the database refused (source process).',
  type: 'object',
  required: ['source', 'index', 'field', 'reason', 'item', 'receivedAt'],
  properties: {
    source: {
      enum: ['http', 'mqtt', 'process'],
      description: 'Where it was rejected; also the message key.',
    },
    index: {
      type: ['integer', 'null'],
      minimum: 0,
      description: "The item's position in its request or MQTT message; null for a whole message.",
    },
    field: {
      type: 'string',
      description:
        'The field at fault (`ts`, `value`, `sensorId`, `payload`…); for source process, `message` (undecodable) or what the database refused (`window`, `alert`…).',
    },
    reason: { type: 'string', description: 'Why, in words, naming the limit or rule broken.' },
    item: {
      description:
        'The item as received (a parsed JSON value, or the text that did not parse); an undecodable bus message as base64 of its first bytes; the start of it when `truncated`.',
    },
    truncated: {
      const: true,
      description:
        'Present when `item` is only the start of the rejected item (too long or too deeply nested).',
    },
    error: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: "Source process: the database's error fields (SQLSTATE `code`, `message`…).",
    },
    receivedAt: {
      type: 'string',
      format: 'date-time',
      description: 'When MANTIS received or refused it (UTC).',
    },
  },
} as const;

/** `mantis.alerts.v1`: an alert raised, or raised again with a higher severity. */
export const alertMessageSchema = {
  $schema: DIALECT,
  title: `${topics.alerts} message value`,
  description:
    'An alert as stored when it was raised, or escalated (the same id again, with its new severity, health and score). Resolutions, acknowledgements and work-order changes are not published: read them from the API.',
  type: 'object',
  required: ALERT_FIELDS,
  properties: {
    id: {
      type: 'string',
      pattern: '^alr_[0-9a-f]{24}$',
      description: 'Stable id: a replayed window raises the same alert. As in GET /v1/alerts/{id}.',
    },
    assetId: { type: 'string', minLength: 1, description: 'The asset; also the message key.' },
    sensorId,
    cause: {
      type: 'string',
      description:
        'vibration-anomaly, <kind>-anomaly, or `diagnosis:<fault>:<component>` for a named fault (docs/diagnostics.md).',
    },
    severity: { enum: ['warning', 'critical'] },
    status: { enum: ['active', 'resolved'], description: 'Always active when published.' },
    health: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: 'Health 0–100 at that window (100 healthy).',
    },
    score: {
      type: 'number',
      minimum: 0,
      description:
        "The anomaly score that raised or escalated it: the largest robust z-score of the window's scored features against its series' baseline (up to 3 is normal; it reaches thousands for a grown fault). Dimensionless.",
    },
    message: { type: 'string', description: 'What was seen, in words, with the evidence.' },
    raisedAt: { ...epochMs, description: 'Start of the window that raised it: epoch milliseconds.' },
    resolvedAt: { type: 'null', description: 'Null: published alerts are active.' },
    model: {
      oneOf: [
        {
          type: 'object',
          required: ['name', 'version'],
          properties: { name: { type: 'string' }, version: { type: 'string' } },
          description: 'The registered model (MLflow name and version) whose score raised it.',
        },
        { type: 'null' },
      ],
      description: 'Absent or null: the baseline scorer raised it.',
    },
    workOrderOpened: {
      type: 'boolean',
      description:
        'On the first publication only: whether this alert opened a work order (false when an open order already covers the asset and cause).',
    },
  },
} as const;

export interface HeaderContract {
  name: string;
  presence: 'always' | 'when known';
  description: string;
}

export interface TopicContract {
  topic: string;
  key: string;
  headers: HeaderContract[];
  value: Record<string, unknown>;
  producers: string;
  consumers: string;
}

const traceHeaders = (when: string): HeaderContract[] => [
  {
    name: 'traceparent',
    presence: 'when known',
    description: `W3C Trace Context: the trace ${when}, continued with a new span id.`,
  },
  { name: 'tracestate', presence: 'when known', description: 'W3C Trace Context: passed on unchanged.' },
];

/** Every MANTIS topic (names without `bus.topicPrefix`), as docs/bus-contract.md states it. */
export const busContract: TopicContract[] = [
  {
    topic: topics.readings,
    key: 'assetId: one asset’s readings stay on one partition, in order',
    headers: [
      {
        name: INGESTED_AT_HEADER,
        presence: 'always',
        description: 'When ingest accepted the request: epoch milliseconds, as decimal text.',
      },
      ...traceHeaders('of the ingest request (HTTP requests only)'),
    ],
    value: readingsMessageSchema,
    producers: 'ingest (HTTP and MQTT)',
    consumers: 'process (group `mantis-process`)',
  },
  {
    topic: topics.deadLetters,
    key: '`http`, `mqtt` or `process`: where the item was rejected (the value’s `source`)',
    headers: traceHeaders('of the request or message that brought the item'),
    value: deadLetterMessageSchema,
    producers: 'ingest and process',
    consumers: 'operators (no MANTIS consumer)',
  },
  {
    topic: topics.alerts,
    key: 'assetId',
    headers: [],
    value: alertMessageSchema,
    producers: 'process, after the alert is stored',
    consumers: '`mantis start` prints them (group `mantis-console`); notification services',
  },
];
