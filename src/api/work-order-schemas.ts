/**
 * Response schemas of the work-order routes: the list (GET /v1/work-orders) and one order with its history
 * (GET /v1/work-orders/{id}). Shapes are those of WorkOrderView and WorkOrderWithHistory (domain/types.ts,
 * storage/ports/work-orders.ts); every time is epoch milliseconds.
 */

import { nullableString } from './schemas.ts';

export const WORK_ORDER_STATUSES = ['open', 'assigned', 'in_progress', 'done', 'cancelled'] as const;
export const WORK_ORDER_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

const epochMs = (description: string) =>
  ({ type: 'integer', description: `${description}, epoch ms` }) as const;

/** The alert behind an order, as it stands now. */
const alertEvidence = {
  type: ['object', 'null'],
  description:
    "the alert that raised the order (after a named fault takes over an anomaly order, the fault's alert), as it stands now; null for an order opened by hand",
  additionalProperties: false,
  required: ['id', 'sensorId', 'cause', 'severity', 'status', 'health', 'score', 'message', 'raisedAt'],
  properties: {
    id: { type: 'string', description: 'alert id (alertId of the order)' },
    sensorId: { type: 'string', description: 'the sensor whose window raised it' },
    cause: {
      type: 'string',
      description: 'what raised it: an anomaly (`vibration-anomaly`, …) or a named fault (`diagnosis:…`)',
    },
    severity: { type: 'string', enum: ['warning', 'critical'], description: 'current severity' },
    status: {
      type: 'string',
      enum: ['active', 'resolved'],
      description: 'resolved once the sensor recovered or someone resolved it',
    },
    health: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: 'health score when raised or last escalated, 0 (failed) to 100 (healthy)',
    },
    score: {
      type: 'number',
      description: 'anomaly score when raised or last escalated (dimensionless; higher is more anomalous)',
    },
    message: { type: 'string', description: 'what the alert says, for people' },
    raisedAt: epochMs('when it was raised'),
  },
} as const;

const workOrderProperties = {
  id: { type: 'string', description: 'work order id' },
  assetId: { type: 'string', description: 'the asset to work on' },
  siteId: { type: 'string', description: "the asset's site, as the asset is placed now" },
  lineId: { type: 'string', description: "the asset's line, as the asset is placed now" },
  sensorId: nullableString('the sensor concerned; null for an order about the whole asset'),
  cause: {
    type: 'string',
    description:
      'what it was raised for: an alert cause (`vibration-anomaly`, `diagnosis:…`), or a cause given by hand (`manual` by default)',
  },
  alertId: nullableString('the alert behind it; null for an order opened by hand'),
  alert: alertEvidence,
  title: { type: 'string' },
  priority: { type: 'string', enum: WORK_ORDER_PRIORITIES },
  status: { type: 'string', enum: WORK_ORDER_STATUSES },
  createdAt: epochMs('when it was opened'),
  updatedAt: epochMs('last change'),
  assignee: nullableString('who it is assigned to; null when nobody is'),
  version: { type: 'integer', minimum: 1, description: 'counts its changes; its ETag, for If-Match' },
  confirmedCause: nullableString(
    'what closing found (a named fault, `other:<text>` or `no-fault-found`); null until done',
  ),
} as const;

const workOrderRequired = [
  'id',
  'assetId',
  'siteId',
  'lineId',
  'sensorId',
  'cause',
  'alertId',
  'alert',
  'title',
  'priority',
  'status',
  'createdAt',
  'updatedAt',
  'assignee',
  'version',
  'confirmedCause',
] as const;

/** A work order as lists show it (WorkOrderView). */
export const workOrderSchema = {
  type: 'object',
  additionalProperties: false,
  required: workOrderRequired,
  properties: workOrderProperties,
} as const;

/** GET /v1/work-orders: a page of orders, newest first. */
export const workOrderPageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'next'],
  properties: {
    items: { type: 'array', items: workOrderSchema, description: 'newest first (by createdAt, then id)' },
    next: nullableString('pass as `cursor` for the next page; null on the last page'),
  },
} as const;

/** One step of an order's history (WorkOrderEvent). */
const workOrderEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'from', 'to', 'assignee', 'actor', 'note', 'at'],
  properties: {
    seq: { type: 'integer', minimum: 1, description: 'step number, 1 for the opening' },
    from: { type: 'string', enum: WORK_ORDER_STATUSES },
    to: { type: 'string', enum: WORK_ORDER_STATUSES },
    assignee: nullableString('assignee after the step'),
    actor: { type: 'string', description: 'who made the step: the holder of the key that made it' },
    note: nullableString('what the actor wrote'),
    at: epochMs('when'),
  },
} as const;

/** GET /v1/work-orders/{id}: one order with its history, oldest step first. */
export const workOrderWithHistorySchema = {
  type: 'object',
  additionalProperties: false,
  required: [...workOrderRequired, 'events'],
  properties: {
    ...workOrderProperties,
    events: { type: 'array', items: workOrderEventSchema, description: 'its history, oldest step first' },
  },
} as const;
