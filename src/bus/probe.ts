import { Admin } from '@platformatic/kafka';
import type { Probe } from '../lib/probe.ts';
import { brokersOf } from './kafka.ts';
import { topics } from './port.ts';

/** Kafka: a metadata request answered by the cluster; names MANTIS topics not created yet. */
export function kafkaProbe(url: string, topicPrefix: string, timeoutMs: number): Probe {
  return async () => {
    const admin = new Admin({
      clientId: 'mantis-doctor',
      bootstrapBrokers: brokersOf(url),
      connectTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      timeout: timeoutMs,
      retries: 0,
    });
    try {
      const metadata = await admin.metadata({ topics: [] });
      const existing = new Set(await admin.listTopics());
      const missing = Object.values(topics)
        .map((t) => topicPrefix + t)
        .filter((t) => !existing.has(t));
      const summary = `${metadata.brokers.size} broker(s), controller ${metadata.controllerId}, cluster ${metadata.id}`;
      return missing.length > 0 ? `${summary}; topics not created yet: ${missing.join(', ')}` : summary;
    } finally {
      await admin.close();
    }
  };
}
