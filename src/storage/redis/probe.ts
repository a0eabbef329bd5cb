import { createClient } from 'redis';
import type { Probe } from '../../lib/probe.ts';

/** Redis: PING, then its persistence and eviction settings (CONFIG may be disabled: then unknown). */
export function redisProbe(url: string, timeoutMs: number): Probe {
  return async () => {
    const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
    client.on('error', () => {});
    await client.connect();
    try {
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
      try {
        const config = await client.configGet(['appendonly', 'save', 'maxmemory-policy']);
        const rdb = config.save ? `RDB save "${config.save}"` : 'no RDB snapshots';
        return `PONG, AOF ${config.appendonly}, ${rdb}, maxmemory-policy ${config['maxmemory-policy']}`;
      } catch {
        return 'PONG, persistence unknown (CONFIG not allowed)';
      }
    } finally {
      client.destroy();
    }
  };
}
