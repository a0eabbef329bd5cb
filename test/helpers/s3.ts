import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Availability, executableAvailable, freePort } from './infra.ts';

/** The Versity S3 Gateway that scripts/stack/versitygw.sh builds: an S3 server over a folder. */
export const VERSITYGW = execFileSync(
  resolve(import.meta.dirname, '../../scripts/stack/versitygw.sh'),
  ['path'],
  { encoding: 'utf8' },
).trim();

export function versitygwAvailable(): Promise<Availability> {
  return executableAvailable(VERSITYGW);
}

export interface S3Server {
  endpoint: string;
  /** The folder it serves: bucket `b`'s object `k` is the file `<dir>/b/k`. */
  dir: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Makes a bucket (a folder, as the posix back end sees one). */
  bucket(name: string): string;
  /** Starts it (again, on the same port and folder) and waits until it answers. */
  start(): Promise<void>;
  /** SIGKILL, as a crash: in-flight requests are cut. */
  kill(): Promise<void>;
  /** Kills it and removes its folder. */
  remove(): Promise<void>;
}

/** A Versity S3 Gateway of the suite's own, on a free port, serving a temporary folder. */
export async function startS3Server(): Promise<S3Server> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mantis-s3-'));
  const credentials = { accessKeyId: 'mantis-test', secretAccessKey: 'object-store-test-secret-0123' };
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const server: S3Server = {
    endpoint,
    dir,
    credentials,
    bucket(name) {
      mkdirSync(join(dir, name), { recursive: true });
      return name;
    },
    async start() {
      const args = ['--access', credentials.accessKeyId, '--secret', credentials.secretAccessKey];
      child = spawn(VERSITYGW, [...args, '--port', `127.0.0.1:${port}`, 'posix', dir], { stdio: 'ignore' });
      const deadline = Date.now() + 30_000;
      for (;;) {
        // Any HTTP answer (403 without a signature) means it serves.
        const answered = await fetch(endpoint, { signal: AbortSignal.timeout(1000) }).then(
          () => true,
          () => false,
        );
        if (answered) return;
        if (child.exitCode !== null) throw new Error(`versitygw exited with ${child.exitCode}`);
        if (Date.now() > deadline) throw new Error(`versitygw did not answer on ${endpoint}`);
        await new Promise((r) => setTimeout(r, 100));
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
