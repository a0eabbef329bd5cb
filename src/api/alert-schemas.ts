/** Response schema of an alert as the API serves it (AlertView, domain/types.ts); times are epoch ms. */
import { ALERT_FIELDS } from '../domain/types.ts';
import { epochMs, nullableString } from './schemas.ts';

const nullableEpochMs = (description: string) =>
  ({ type: ['integer', 'null'], description: `${description}, epoch ms` }) as const;

export const alertSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...ALERT_FIELDS, 'acknowledgedAt', 'acknowledgedBy', 'resolvedBy'],
  properties: {
    id: { type: 'string', description: 'alert id' },
    assetId: { type: 'string' },
    sensorId: { type: 'string', description: 'the sensor whose window raised it' },
    cause: {
      type: 'string',
      description: 'an anomaly (`vibration-anomaly`, …) or a named fault (`diagnosis:<fault>`)',
    },
    severity: { type: 'string', enum: ['warning', 'critical'] },
    status: { type: 'string', enum: ['active', 'resolved'] },
    health: {
      type: 'number',
      description: 'health when raised or last escalated, 0 (failed) to 100 (healthy): the evidence',
    },
    score: { type: 'number', description: 'anomaly score when raised or last escalated (dimensionless)' },
    message: { type: 'string', description: 'what it says, for people' },
    raisedAt: epochMs('when it was raised, epoch ms'),
    resolvedAt: nullableEpochMs('when it was resolved; null while active'),
    acknowledgedAt: nullableEpochMs('when someone acknowledged it; null: nobody yet'),
    acknowledgedBy: nullableString('who acknowledged it'),
    resolvedBy: nullableString('who resolved it; null: nobody, or the processor on recovery'),
    model: {
      type: ['object', 'null'],
      description:
        'the learned model whose score raised it (MLflow name and version); null: the baseline scorer',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { type: 'string' }, version: { type: 'string' } },
    },
  },
} as const;
