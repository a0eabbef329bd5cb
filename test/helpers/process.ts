import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, kafkaBroker, uniqueSuffix } from './infra.ts';

const bin = fileURLToPath(new URL('../../bin/mantis.js', import.meta.url));

export interface MantisProcess {
  target: string;
  url: string;
  child: ChildProcess;
  logs: string[];
  /** Sends the signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `mantis run --target <target>` as its own process and waits until it listens. */
export async function spawnMantis(target: string, env: Record<string, string>): Promise<MantisProcess> {
  const child = spawn(process.execPath, [bin, 'run', '--target', target], {
    env: { PATH: process.env.PATH ?? '', MANTIS_HTTP_PORT: '0', MANTIS_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${target} did not start:\n${logs.join('\n')}`)), 60_000);
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        if (line.includes('"msg":"listening"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line).url);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    exited.then((code) => reject(new Error(`${target} exited with ${code}:\n${logs.join('\n')}`)));
  });
  return {
    target,
    url,
    child,
    logs,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The environment of MANTIS targets on the test Kafka broker (topics of their own) and one test database. */
export function scaleOutEnv(databaseUrl: string, token: string, extra: Record<string, string> = {}) {
  return {
    MANTIS_BUS_URL: `kafka://${kafkaBroker}`,
    MANTIS_BUS_TOPIC_PREFIX: `test-${uniqueSuffix()}.`,
    MANTIS_DATABASE_URL: databaseUrl,
    MANTIS_INGEST_TOKEN: token,
    ...extra,
  };
}

/** Runs a `mantis` command (`args`) to its end, with `env` over this process's: exit code, stdout, stderr. */
export function runMantis(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh test database with MANTIS's migrations applied by `mantis migrate`, as an operator would. */
export async function createMigratedDatabase(): Promise<Awaited<ReturnType<typeof createTestDatabase>>> {
  const database = await createTestDatabase();
  const migrated = await runMantis(['migrate'], {
    MANTIS_DATABASE_URL: database.url,
    MANTIS_LOG_LEVEL: 'silent',
  });
  if (migrated.code !== 0) throw new Error(`mantis migrate failed: ${migrated.stderr}`);
  return database;
}
