import { describe, expect, it } from 'vitest';
import { ensureTopics, KafkaBus } from '../src/bus/kafka.ts';
import { topics } from '../src/bus/port.ts';
import { configSchema } from '../src/config/schema.ts';
import { kafkaAvailable, kafkaBroker, uniqueSuffix } from './helpers/infra.ts';

const kafka = await kafkaAvailable();

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = probe();
    if (got !== undefined && got !== false) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.runIf(kafka.available)('a Kafka consumer’s backlog (what readiness calls unread work)', () => {
  it('counts records published but not polled, apart from the lag of records polled but not committed', async () => {
    const settings = {
      ...configSchema.parse({}).bus,
      url: `kafka://${kafkaBroker}`,
      topicPrefix: `test-${uniqueSuffix()}.`,
      clientId: 'backlog-test',
      partitions: 2,
    };
    await ensureTopics(settings);
    const bus = new KafkaBus(settings);
    try {
      const consumer = bus.subscribe(topics.readings, 'backlog', 100);
      // The group has joined and committed nothing: every record sent from now on waits.
      await until('an assignment', () => (consumer.assignmentState?.().partitions?.size ?? 0) === 2);
      expect(await consumer.poll(1000)).toEqual([]);
      const messages = Array.from({ length: 10 }, (_, i) => ({
        key: `asset-${i}`,
        value: new Uint8Array([i]),
      }));
      await bus.send(topics.readings, messages);
      // Lag is sampled every 5 s; nothing has been polled yet.
      await until('the backlog of 10', () => consumer.backlog() === 10);
      expect(consumer.lag()).toBe(10);

      const polled = [];
      while (polled.length < 10) polled.push(...(await consumer.poll(1000)));
      expect(consumer.backlog()).toBe(0);
      const next = new Map<number, number>();
      for (const r of polled) next.set(r.partition, Math.max(next.get(r.partition) ?? 0, r.offset + 1));
      await consumer.commit(next);
      await until('the lag to drain', () => consumer.lag() === 0);
      expect(consumer.backlog()).toBe(0);
    } finally {
      await bus.close();
    }
  }, 90_000);
});
