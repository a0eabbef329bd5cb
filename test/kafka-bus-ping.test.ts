import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { Admin } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { KafkaBus } from '../src/bus/kafka.ts';
import { configSchema } from '../src/config/schema.ts';
import { freePort, kafkaAvailable, kafkaBroker } from './helpers/infra.ts';

const kafka = await kafkaAvailable();

const busTo = (url: string) =>
  new KafkaBus({ ...configSchema.parse({}).bus, url, clientId: 'ping-test', topicPrefix: 'ping-test.' });

describe.runIf(kafka.available)('KafkaBus.ping (the bus readiness check)', () => {
  it('asks the broker for the cluster metadata over the bus’s own connection', async () => {
    const bus = busTo(`kafka://${kafkaBroker}`);
    try {
      const started = performance.now();
      const detail = await bus.ping(5_000);
      expect(performance.now() - started).toBeLessThan(5_000);
      // What the cluster says of itself, asked through a client of its own.
      const admin = new Admin({ clientId: 'ping-test-admin', bootstrapBrokers: [kafkaBroker] });
      const cluster = await admin.metadata({ topics: [] }).finally(() => admin.close());
      expect(detail).toBe(
        `Kafka cluster ${cluster.id}: ${cluster.brokers.size} broker(s), controller ${cluster.controllerId}`,
      );
      // Asked again, it answers again (not a cached first answer: the request is forced).
      expect(await bus.ping(5_000)).toBe(detail);
    } finally {
      await bus.close();
    }
  }, 30_000);

  it('throws naming the broker, within the timeout, when nothing listens there', async () => {
    const port = await freePort();
    const bus = busTo(`kafka://127.0.0.1:${port}`);
    try {
      const started = performance.now();
      const failure = await bus.ping(2_000).catch((err: Error) => err);
      expect(performance.now() - started).toBeLessThan(2_500);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe(
        `Kafka broker(s) 127.0.0.1:${port} unreachable: connect ECONNREFUSED 127.0.0.1:${port}`,
      );
    } finally {
      await bus.close();
    }
  }, 30_000);

  it('throws within the timeout when a broker accepts the connection but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    const bus = busTo(`kafka://127.0.0.1:${port}`);
    try {
      const started = performance.now();
      await expect(bus.ping(1_000)).rejects.toThrow(
        `Kafka broker(s) 127.0.0.1:${port} did not answer within 1000 ms`,
      );
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(999);
      expect(elapsed).toBeLessThan(3_000);
    } finally {
      await bus.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 30_000);

  it('throws once the bus is closed', async () => {
    const bus = busTo(`kafka://${kafkaBroker}`);
    await bus.close();
    await expect(bus.ping()).rejects.toThrow(`Kafka bus to ${kafkaBroker} is closed`);
  });
});
