import { connect, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Bus } from '../bus/port.ts';
import type { ValidationLimits } from '../domain/validate.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
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
}

export interface MqttIngestDeps {
  bus: Bus;
  sensors: SensorDirectory;
  metrics: Metrics;
  limits: ValidationLimits;
  log: Logger;
}

const TOPIC = /^mantis\/([^/]+)\/([^/]+)\/([^/]+)$/;

/** The items of one MQTT message: its payload (one reading or an array) with the sensor of its topic. */
export function itemsOfMessage(sensorId: string, payload: Buffer): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return [
      new UnparsableItem(`not valid JSON: ${(err as Error).message}`, payload.toString('utf8', 0, 200)),
    ];
  }
  const items = Array.isArray(body) ? body : [body];
  // The topic names the sensor; a sensorId in the payload is overridden so that it cannot contradict it.
  return items.map((item) =>
    item && typeof item === 'object' && !Array.isArray(item) ? { ...item, sensorId } : item,
  );
}

/**
 * Subscribes to mantis/{site}/{asset}/{sensor} on an MQTT broker with QoS 1 and a persistent session, and
 * ingests each message like an HTTP batch. A message is acknowledged only once the bus has it: a crash
 * before that makes the broker deliver it again. Reconnects with doubling delays and resubscribes.
 */
export class MqttIngest {
  private client: MqttClient | null = null;
  private stopping = false;
  private readonly deps: MqttIngestDeps;
  private readonly options: MqttIngestOptions;

  constructor(deps: MqttIngestDeps, options: MqttIngestOptions) {
    this.deps = deps;
    this.options = options;
  }

  start(): void {
    const { options, deps } = this;
    const { mqttConnected, mqttReconnects } = deps.metrics;
    const client = connect(options.url, {
      clientId: options.clientId,
      username: options.username,
      password: options.password,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: options.reconnectMinMs,
      connectTimeout: 10_000,
      // Subscriptions are renewed after every reconnection, even when the broker lost the session.
      resubscribe: true,
    });
    this.client = client;
    client.handleMessage = (packet, done) => {
      this.handle(packet).then(
        () => done(),
        (err) => done(err),
      );
    };
    client.on('connect', (connack) => {
      client.options.reconnectPeriod = options.reconnectMinMs;
      mqttConnected.set(1);
      deps.log.info({ sessionPresent: connack.sessionPresent }, 'mqtt connected');
      // A broker that lost our session (restarted without persistence) needs the subscription again.
      if (!connack.sessionPresent) {
        client.subscribe(options.topic, { qos: 1 }, (err) => {
          if (err) deps.log.error({ err }, 'mqtt subscribe failed');
        });
      }
    });
    client.on('close', () => {
      mqttConnected.set(0);
      // Doubling delays: a broker that is down is not hammered by every ingest replica at once.
      client.options.reconnectPeriod = Math.min(
        (client.options.reconnectPeriod ?? options.reconnectMinMs) * 2,
        options.reconnectMaxMs,
      );
    });
    client.on('reconnect', () => mqttReconnects.inc());
    client.on('error', (err) => deps.log.warn({ err: err.message }, 'mqtt error'));
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  private async handle(packet: IPublishPacket): Promise<void> {
    const match = TOPIC.exec(packet.topic);
    const [site, asset, sensorId] = match ? match.slice(1) : ['', '', ''];
    const items = match
      ? itemsOfMessage(sensorId, packet.payload as Buffer)
      : [new UnparsableItem(`topic ${packet.topic}: expected mantis/{site}/{asset}/{sensor}`, packet.topic)];
    // Until the bus takes it (it may be full or down), the message is retried and not acknowledged.
    for (let delay = 100; ; delay = Math.min(delay * 2, 5_000)) {
      try {
        await ingestItems(items, 'mqtt', this.deps, { siteId: site, assetId: asset });
        return;
      } catch (err) {
        if (this.stopping) throw err;
        this.deps.log.warn(
          { err: (err as Error).message, topic: packet.topic },
          'mqtt message not ingested; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.client?.endAsync();
    this.deps.metrics.mqttConnected.set(0);
  }
}
