import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { freePort } from './infra.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';
export const redisConf = fileURLToPath(new URL('../../deploy/redis/redis.conf', import.meta.url));

/** A plain client that does not reconnect, for inspection; destroyed by the caller. */
async function plainClient(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A Redis the suite owns, started with the stack's deploy/redis/redis.conf; its files live in `dir`. */
export interface OwnedRedis {
  url: string;
  port: number;
  dir: string;
  /** Starts it (again, on the same port and files) and waits until it answers PING. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown save, no last fsync. */
  kill(): Promise<void>;
  /** A plain client for inspection; closed by the caller. */
  inspect(): ReturnType<typeof plainClient>;
}

/**
 * Redis with deploy/redis/redis.conf, on a free local port and a temporary folder; `overrides` are more
 * configuration directives (name, value…) given on the command line, which win over the file's.
 */
export async function ownedRedis(overrides: string[] = []): Promise<OwnedRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mantis-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const inspect = () => plainClient(url);
  return {
    url,
    port,
    dir,
    async start() {
      const args = [redisConf, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...overrides];
      child = spawn(REDIS_SERVER, args, { stdio: 'ignore', cwd: dir });
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          const client = await inspect();
          // Loading the AOF answers PING with an error until the data is in memory.
          const pong = await client.ping();
          client.destroy();
          if (pong === 'PONG') return;
        } catch (err) {
          if (Date.now() > deadline) throw new Error(`redis-server did not start: ${(err as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    inspect,
  };
}
