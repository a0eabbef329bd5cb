import { connect, type IPublishPacket, type MqttClient } from 'mqtt';
import { type DeadLetter, encodeJson } from '../bus/codec.ts';
import { classifyBusError } from '../bus/errors.ts';
import { type Bus, topics } from '../bus/port.ts';
import { RetryLaterError } from '../domain/errors.ts';
import type { ValidationLimits } from '../domain/validate.ts';
import { backoffMs, retry } from '../lib/retry.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { NoticeBudget, type RejectionNotice, rejectionNotice, rejectionTopic } from './mqtt-rejections.ts';
import { DEAD_LETTER_ITEM_CHARS, deadLetterItem, parseJson, textPrefix, utf8Text } from './payload.ts';
import { ingestItems, UnparsableItem } from './publish.ts';
import type { SensorDirectory } from './sensors.ts';

export interface MqttIngestOptions {
  url: string;
  topic: string;
  clientId: string;
  username?: string;
  password?: string;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** MQTT protocol spoken to the broker; 5 lets the broker tell MANTIS which messages were retained. */
  protocolVersion: '3.1.1' | '5';
  /** Rejection notices sent per notice topic and second at most (see mqtt-rejections.ts); 0 sends none. */
  rejectionNoticesPerSecond: number;
}

export interface MqttIngestDeps {
  bus: Bus;
  sensors: SensorDirectory;
  metrics: Metrics;
  limits: ValidationLimits;
  /** Most items one message may hold (ingest.maxBatchItems, as for an HTTP batch). */
  maxItems: number;
  log: Logger;
}

const TOPIC = /^mantis\/([^/]+)\/([^/]+)\/([^/]+)$/;
/** Longest quote of a client's value in a reason. */
const QUOTE_CHARS = 64;

/** A client's text as a reason quotes it: at most QUOTE_CHARS characters, "…" marking a cut. */
function quote(text: string): string {
  return text.length > QUOTE_CHARS ? `${textPrefix(text, QUOTE_CHARS - 1)}…` : text;
}
/** Bytes whose base64 fills a dead letter's item, plus one group of 3 so that a longer payload is marked truncated. */
const BASE64_BYTES = (DEAD_LETTER_ITEM_CHARS / 4) * 3 + 3;

/** Bytes that are not UTF-8 as they are kept in a dead letter: base64 of the first ones. */
function base64Prefix(payload: Uint8Array): string {
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString(
    'base64',
    0,
    BASE64_BYTES,
  );
}

/**
 * A payload as received, for a dead letter of the whole message: its JSON value when it parses, else its
 * text, else (not UTF-8) base64 of its first bytes. Bounded afterwards by deadLetterItem. Never throws.
 */
export function receivedPayload(payload: Uint8Array): unknown {
  const text = utf8Text(payload);
  if (text === null) return base64Prefix(payload);
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text;
}

/**
 * The items of one MQTT message for the sensor its topic names: its payload (UTF-8 JSON, a byte-order mark
 * allowed: one reading or an array of them) parsed with bounded nesting. A payload that cannot hold
 * readings becomes one item rejected on field `payload`, holding the payload as received (its text, or
 * its JSON value when it parsed); an item whose own sensorId differs from the topic's is rejected on field
 * `sensorId`, holding the item. Never throws.
 */
export function itemsOfMessage(sensorId: string, payload: Uint8Array, maxItems: number): unknown[] {
  const refuse = (reason: string, received: unknown) => [new UnparsableItem(reason, received, 'payload')];
  if (payload.length === 0) return refuse('is empty: a message must hold a reading or an array of them', '');
  const text = utf8Text(payload);
  if (text === null) return refuse('is not valid UTF-8', base64Prefix(payload));
  const parsed = parseJson(text);
  if (!parsed.ok) return refuse(parsed.reason, text);
  const items = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (items.length === 0) return refuse('contains no readings', parsed.value);
  if (items.length > maxItems) {
    return refuse(`holds ${items.length} items; at most ${maxItems} per message`, parsed.value);
  }
  return items.map((item) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
    const given = (item as { sensorId?: unknown }).sensorId;
    // The topic names the sensor; a payload that names another one is a gateway mistake, not a choice.
    if (given !== undefined && given !== sensorId) {
      return new UnparsableItem(
        `${quote(JSON.stringify(given))} differs from the sensor of the topic, "${sensorId}"`,
        item,
        'sensorId',
      );
    }
    return { ...item, sensorId };
  });
}

/**
 * Whether a failure to ingest a message is worth waiting out: the bus is full, cannot be reached or refuses
 * every send until an operator acts, or the failure asks to retry later (the sensor registry unreachable).
 * Anything else (the bus refusing these very messages, a defect an item triggers) comes with the message,
 * which is then dead-lettered.
 */
export function retryable(err: unknown): boolean {
  if (err instanceof RetryLaterError) return true;
  const bus = classifyBusError(err);
  return bus !== null && bus.kind !== 'record';
}

/** The sensor registry cannot be read: nothing to do with the message, which waits. */
class RegistryUnavailableError extends RetryLaterError {}

/**
 * Subscribes to mantis/{site}/{asset}/{sensor} on an MQTT broker with QoS 1 and a persistent session, and
 * ingests each message like an HTTP batch. A message is acknowledged once the bus has its readings and
 * dead letters; only a failure retrying can cure (bus full or down, registry unreachable) holds it, so
 * nothing one message contains can stop the messages behind it. Each rejection is also published as a
 * notice to mantis-rejected/{site}/{asset}/{sensor} (QoS 1, not retained, rate-limited per topic).
 * Reconnects with doubling, jittered delays (lib/retry.ts).
 */
export class MqttIngest {
  private client: MqttClient | null = null;
  private readonly stopping = new AbortController();
  private readonly deps: MqttIngestDeps;
  private readonly options: MqttIngestOptions;
  private readonly noticeBudget: NoticeBudget;

  constructor(deps: MqttIngestDeps, options: MqttIngestOptions) {
    this.deps = deps;
    this.options = options;
    this.noticeBudget = new NoticeBudget(options.rejectionNoticesPerSecond);
  }

  start(): void {
    const { options, deps } = this;
    const { mqttConnected, mqttReconnects } = deps.metrics;
    const v5 = options.protocolVersion === '5';
    const client = connect(options.url, {
      clientId: options.clientId,
      username: options.username,
      password: options.password,
      clean: false,
      protocolVersion: v5 ? 5 : 4,
      // MQTT 5 ends a session at disconnection unless told otherwise; 3.1.1 keeps it.
      ...(v5 && { properties: { sessionExpiryInterval: 0xffffffff } }),
      reconnectPeriod: options.reconnectMinMs,
      connectTimeout: 10_000,
      // Subscriptions are renewed after every reconnection, even when the broker lost the session.
      resubscribe: true,
    });
    this.client = client;
    // Connections lost or refused since the last one that succeeded.
    let closes = 0;
    client.handleMessage = (packet, done) => {
      this.handle(packet).then(
        () => done(),
        (err) => done(err),
      );
    };
    client.on('connect', (connack) => {
      closes = 0;
      mqttConnected.set(1);
      deps.log.info({ sessionPresent: connack.sessionPresent }, 'mqtt connected');
      // A broker that lost our session (restarted without persistence) needs the subscription again.
      if (!connack.sessionPresent) {
        // Retain As Published (MQTT 5): a retained-message clear keeps its retain flag on the way to us.
        client.subscribe(options.topic, { qos: 1, ...(v5 && { rap: true }) }, (err) => {
          if (err) deps.log.error({ err }, 'mqtt subscribe failed');
        });
      }
    });
    client.on('close', () => {
      mqttConnected.set(0);
      // mqtt.js waits reconnectPeriod before each attempt: set to the shared backoff, doubling and jittered,
      // so that a broker that is down is not hammered by every ingest replica at once.
      closes++;
      const delayMs = backoffMs(closes, options.reconnectMinMs, options.reconnectMaxMs);
      // Never 0, which mqtt.js takes for "do not reconnect".
      client.options.reconnectPeriod = Math.max(1, Math.round(delayMs));
    });
    client.on('reconnect', () => mqttReconnects.inc());
    client.on('error', (err) => deps.log.warn({ err: err.message }, 'mqtt error'));
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  private async handle(packet: IPublishPacket): Promise<void> {
    const receivedAt = new Date();
    const payload = packet.payload as Buffer;
    // A zero-length retained message is how MQTT clears a topic's retained message: no reading in it.
    if (payload.length === 0 && packet.retain) {
      this.deps.metrics.mqttMessagesIgnored.inc({ reason: 'empty_retained' });
      return;
    }
    const match = TOPIC.exec(packet.topic);
    const [site, asset, sensorId] = match ? match.slice(1) : ['', '', ''];
    const items = match
      ? itemsOfMessage(sensorId, payload, this.deps.maxItems)
      : [
          new UnparsableItem(
            `${quote(packet.topic)}: expected mantis/{site}/{asset}/{sensor}`,
            receivedPayload(payload),
            'topic',
          ),
        ];
    const ids = items.map((i) => (i as { sensorId?: string } | null)?.sensorId as string);
    const ingest = async () => {
      try {
        await this.deps.sensors.ensure(ids);
      } catch (err) {
        throw new RegistryUnavailableError(`sensor registry unavailable: ${(err as Error).message}`, 1);
      }
      return ingestItems(items, 'mqtt', this.deps, { siteId: site, assetId: asset });
    };
    let rejected: { index: number | null; field: string; reason: string }[];
    try {
      ({ rejected } = await this.retry(packet.topic, ingest));
    } catch (err) {
      // Unacknowledged, the message comes back from the broker after the next connection.
      if (this.stopping.signal.aborted) throw err;
      rejected = [await this.deadLetter(packet, err as Error, receivedAt)];
    }
    for (const rejection of rejected) this.notify(rejectionNotice(packet.topic, rejection, receivedAt));
  }

  /**
   * Publishes a rejection notice unless its topic's budget for this second is spent (then it is counted as
   * rate_limited). Not awaited: the broker's PUBACK for it arrives after the message in hand is handled.
   */
  private notify(notice: RejectionNotice): void {
    const { metrics, log } = this.deps;
    const topic = rejectionTopic(notice.topic);
    const client = this.client;
    if (!client) return;
    if (!this.noticeBudget.take(topic)) {
      metrics.mqttRejectionNotices.inc({ outcome: 'rate_limited' });
      return;
    }
    client.publish(topic, JSON.stringify(notice), { qos: 1, retain: false }, (err) => {
      metrics.mqttRejectionNotices.inc({ outcome: err ? 'failed' : 'published' });
      if (err) log.warn({ err: err.message, topic }, 'mqtt rejection notice not published');
    });
  }

  /** Runs fn, waiting out what retrying can cure (without limit, until stop) with backoff; else throws. */
  private retry<T>(topic: string, fn: () => Promise<T>): Promise<T> {
    return retry(fn, {
      isTransient: retryable,
      maxAttempts: 1,
      baseMs: 100,
      maxMs: 5_000,
      signal: this.stopping.signal,
      onRetry: ({ err }) =>
        this.deps.log.warn({ err: (err as Error).message, topic }, 'mqtt message not ingested; retrying'),
    });
  }

  /**
   * A message that failed for a reason retrying cannot cure goes whole to the dead-letter topic (its payload
   * as received, bounded), with the error as reason, and is acknowledged; if even that fails for good, it is
   * logged and dropped. Returns the rejection, for the message's notice.
   */
  private async deadLetter(
    packet: IPublishPacket,
    err: Error,
    receivedAt: Date,
  ): Promise<{ index: null; field: string; reason: string }> {
    const { metrics, log, bus } = this.deps;
    metrics.ingestRequestsRefused.inc({ transport: 'mqtt', reason: 'failed' });
    const letter: DeadLetter = {
      source: 'mqtt',
      index: null,
      field: 'payload',
      reason: `not ingested: ${err.message}`,
      ...deadLetterItem(receivedPayload(packet.payload as Buffer)),
      receivedAt: receivedAt.toISOString(),
    };
    try {
      await this.retry(packet.topic, () =>
        bus.send(topics.deadLetters, [{ key: 'mqtt', value: encodeJson(letter) }]),
      );
      log.error({ err: err.message, topic: packet.topic }, 'mqtt message dead-lettered');
    } catch (dlqErr) {
      if (this.stopping.signal.aborted) throw dlqErr;
      log.error(
        { err: err.message, deadLetterErr: (dlqErr as Error).message, topic: packet.topic },
        'mqtt message dropped: it could not be dead-lettered',
      );
    }
    return { index: null, field: letter.field, reason: letter.reason };
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.client?.endAsync();
    this.deps.metrics.mqttConnected.set(0);
  }
}
