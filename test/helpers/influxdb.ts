import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Availability, executableAvailable, freePort } from './infra.ts';

/** InfluxDB 1.8.3 as scripts/stack/influxdb.sh builds it (v1 API plus the v2 compatibility endpoints). */
export const INFLUXD = execFileSync(
  resolve(import.meta.dirname, '../../scripts/stack/influxdb.sh'),
  ['path'],
  {
    encoding: 'utf8',
  },
).trim();

export function influxdAvailable(): Promise<Availability> {
  return executableAvailable(INFLUXD);
}

export interface InfluxServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The RPC bind address that `influxd backup` and `influxd restore` reach: 127.0.0.1:<port>. */
  rpc: string;
  /** The admin user when auth is on. */
  admin: { user: string; password: string } | null;
  /** Runs an InfluxQL statement on /query (as the admin when auth is on) and returns the parsed JSON. */
  query(q: string, db?: string, params?: Record<string, string>): Promise<InfluxQueryResult>;
  /** Starts it (again, on the same ports and folder) and waits until /ping answers. */
  start(): Promise<void>;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  /** Kills it and removes its folder. */
  remove(): Promise<void>;
}

export interface InfluxQueryResult {
  results: {
    statement_id: number;
    error?: string;
    series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[];
  }[];
}

/**
 * An influxd of the suite's own: free ports, a temporary folder, Flux enabled, reporting off. With `auth`,
 * HTTP authentication is on and an admin user is made (what the v2 compatibility token `user:password` needs).
 */
export async function startInfluxServer(options: { auth?: boolean } = {}): Promise<InfluxServer> {
  const [httpPort, bindPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'mantis-influxdb-'));
  const config = join(dir, 'influxdb.conf');
  writeFileSync(
    config,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${bindPort}"`,
      '[meta]',
      `  dir = "${join(dir, 'meta')}"`,
      '[data]',
      `  dir = "${join(dir, 'data')}"`,
      `  wal-dir = "${join(dir, 'wal')}"`,
      '  query-log-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${httpPort}"`,
      `  auth-enabled = ${options.auth === true}`,
      '  flux-enabled = true',
      '  log-enabled = false',
      '[continuous_queries]',
      '  run-interval = "1s"',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${httpPort}`;
  const admin = options.auth ? { user: 'mantis-admin', password: 'influx-test-secret-0123' } : null;
  let child: ChildProcess | undefined;
  const logs: string[] = [];
  const authQuery = (): Record<string, string> => (admin ? { u: admin.user, p: admin.password } : {});
  const server: InfluxServer = {
    url,
    rpc: `127.0.0.1:${bindPort}`,
    admin,
    async query(q, db, params = {}) {
      // Credentials go in the query string: 1.8 reads u and p only there.
      const body = new URLSearchParams({ q, ...(db && { db }), ...params });
      const response = await fetch(`${url}/query?${new URLSearchParams(authQuery())}`, {
        method: 'POST',
        body,
      });
      const json = (await response.json()) as InfluxQueryResult & { error?: string };
      if (!response.ok || json.error) throw new Error(`influxdb ${response.status}: ${json.error ?? ''}`);
      return json;
    },
    async start() {
      child = spawn(INFLUXD, ['-config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      const deadline = Date.now() + 60_000;
      for (;;) {
        const answered = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) }).then(
          (r) => r.status === 204,
          () => false,
        );
        if (answered) break;
        if (child.exitCode !== null)
          throw new Error(`influxd exited with ${child.exitCode}:\n${logs.join('')}`);
        if (Date.now() > deadline) throw new Error(`influxd did not answer on ${url}:\n${logs.join('')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // With auth on and no user yet, the first admin may be made without credentials.
      if (admin) {
        const users = await server.query('SHOW USERS').catch(() => null);
        if (!users) {
          const body = new URLSearchParams({
            q: `CREATE USER "${admin.user}" WITH PASSWORD '${admin.password}' WITH ALL PRIVILEGES`,
          });
          const response = await fetch(`${url}/query`, { method: 'POST', body });
          if (!response.ok) throw new Error(`could not create the admin user: ${await response.text()}`);
        }
      }
    },
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    async remove() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
