import { type DeadLetter, encodeJson, INGESTED_AT_HEADER } from '../bus/codec.ts';
import { type Bus, type BusMessage, topics } from '../bus/port.ts';
import type { Reading, ReadingEnvelope } from '../domain/types.ts';
import { type Rejection, type ValidationLimits, validateItem } from '../domain/validate.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { TraceHeaders } from '../observability/trace-context.ts';
import { deadLetterItem } from './payload.ts';
import type { SensorDirectory } from './sensors.ts';

export type Transport = 'http' | 'mqtt';

export interface IndexedRejection extends Rejection {
  index: number;
}

export interface IngestResult {
  accepted: number;
  rejected: IndexedRejection[];
}

/**
 * An item refused before validation (an NDJSON line that is not JSON, an MQTT payload or topic that cannot
 * hold a reading, a reading naming another sensor than its topic): the reason, the item as received (the
 * text that could not be parsed, or the parsed value) for its dead letter, and the field named in the
 * rejection (item by default).
 */
export class UnparsableItem {
  readonly reason: string;
  readonly received: unknown;
  readonly field: string;
  constructor(reason: string, received: unknown, field = 'item') {
    this.reason = reason;
    this.received = received;
    this.field = field;
  }
}

/**
 * Validates each item on its own, publishes the good ones grouped per asset (key = asset id, so an
 * asset's readings stay in order), and sends each rejected item to the dead-letter topic with its reason.
 * Throws BusFullError, publishing no reading, when the bus cannot take the batch.
 */
export async function ingestItems(
  items: unknown[],
  transport: Transport,
  deps: { bus: Bus; sensors: SensorDirectory; metrics: Metrics; limits: ValidationLimits },
  options: {
    /** W3C trace context for the messages, continuing the request's trace. */
    trace?: TraceHeaders;
    /** Only this site's sensors are known to the sender (a device token, an MQTT site). */
    siteId?: string | null;
    /** Only this asset's sensors (an MQTT topic names the asset). */
    assetId?: string;
  } = {},
): Promise<IngestResult> {
  const { trace = {}, siteId, assetId } = options;
  const now = Date.now();
  // Another site's sensor is as unknown to a scoped sender as a sensor that does not exist.
  const find =
    siteId || assetId
      ? (id: string) => {
          const sensor = deps.sensors.find(id);
          const inScope = (!siteId || sensor?.siteId === siteId) && (!assetId || sensor?.assetId === assetId);
          return inScope ? sensor : undefined;
        }
      : deps.sensors.find;
  await deps.sensors.ensure(items.map((i) => (i as { sensorId?: string } | null)?.sensorId as string));
  const byAsset = new Map<string, ReadingEnvelope>();
  const rejected: IndexedRejection[] = [];
  const deadLetters: DeadLetter[] = [];
  items.forEach((item, index) => {
    const result =
      item instanceof UnparsableItem
        ? ({ ok: false, field: item.field, reason: item.reason } as const)
        : validateItem(item, find, now, deps.limits);
    if (!result.ok) {
      rejected.push({ index, field: result.field, reason: result.reason });
      deadLetters.push({
        source: transport,
        index,
        field: result.field,
        reason: result.reason,
        // Bounded: a huge or deeply nested item cannot make the dead letter itself fail.
        ...deadLetterItem(item instanceof UnparsableItem ? item.received : item),
        receivedAt: new Date(now).toISOString(),
      });
      return;
    }
    const { assetId, siteId } = result.sensor;
    let envelope = byAsset.get(assetId);
    if (!envelope) {
      envelope = { assetId, siteId, readings: [] as Reading[] };
      byAsset.set(assetId, envelope);
    }
    envelope.readings.push(result.reading);
  });

  const headers = { ...trace, [INGESTED_AT_HEADER]: String(now) };
  const messages: BusMessage[] = [...byAsset.values()].map((envelope) => ({
    key: envelope.assetId,
    value: encodeJson(envelope),
    headers,
  }));
  const accepted = items.length - rejected.length;
  // Dead letters go first: when the bus refuses them nothing of the batch is published and the sender may
  // resend it whole; once the readings are on the bus nothing is left that could fail the request.
  if (deadLetters.length > 0) {
    await deps.bus.send(
      topics.deadLetters,
      deadLetters.map((d) => ({ key: transport, value: encodeJson(d), headers: trace })),
    );
  }
  if (messages.length > 0) {
    const started = performance.now();
    await deps.bus.send(topics.readings, messages);
    deps.metrics.busSendDuration.observe({ topic: topics.readings }, (performance.now() - started) / 1000);
  }
  deps.metrics.ingestItems.inc({ transport, outcome: 'accepted' }, accepted);
  deps.metrics.ingestItems.inc({ transport, outcome: 'rejected' }, rejected.length);
  for (const r of rejected)
    deps.metrics.ingestRejections.inc({ transport, field: r.field.replace(/\[\d+\]$/, '') });
  return { accepted, rejected };
}
