import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Availability, executableAvailable, freePort, requireInfra } from './infra.ts';

/** The MLflow server that scripts/stack/mlflow.sh installs in a virtual environment. */
export const MLFLOW = execFileSync(resolve(import.meta.dirname, '../../scripts/stack/mlflow.sh'), ['path'], {
  encoding: 'utf8',
}).trim();

/** Skips (or, with MANTIS_REQUIRE_INFRA=1, fails) a suite when MLflow is not installed. */
export function mlflowAvailable(): Promise<Availability> {
  return executableAvailable(MLFLOW);
}

/**
 * Whether MLflow's basic-auth app can run: it needs the `mlflow[auth]` extra (Flask-WTF) in MLflow's
 * environment. Skips, or with MANTIS_REQUIRE_INFRA=1 fails, like a missing server.
 */
export async function mlflowAuthAvailable(): Promise<Availability> {
  const installed = await mlflowAvailable();
  if (!installed.available) return installed;
  const python = join(dirname(MLFLOW), 'python3');
  const probe = spawnSync(python, ['-c', 'import flask_wtf'], { encoding: 'utf8' });
  if (probe.status === 0) return { available: true, reason: '' };
  const reason = `MLflow's basic-auth app needs mlflow[auth] in ${dirname(dirname(MLFLOW))}`;
  if (requireInfra) throw new Error(`${reason} (MANTIS_REQUIRE_INFRA=1)`);
  process.stderr.write(`skipping: ${reason}\n`);
  return { available: false, reason };
}

export interface MlflowServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Where `--artifacts-destination` points: the artifact of run R in experiment E is `<E>/<R>/artifacts/<path>`. */
  artifactsDir: string;
  /** Starts it (again, on the same port, store and artifacts) and waits until /health answers. */
  start(): Promise<void>;
  /** SIGKILL to its process group (the server and its workers), as a crash. */
  kill(): Promise<void>;
  /** Kills it and removes its folder. */
  stop(): Promise<void>;
}

export interface MlflowOptions {
  /**
   * Runs MLflow's basic-auth app (`--app-name basic-auth`, its user store in the temporary folder) with the
   * user `admin` and this password: every request must then carry HTTP basic credentials.
   */
  adminPassword?: string;
}

/**
 * A real MLflow tracking server of the suite's own on a free port: a SQLite backend store in a temporary
 * folder and the artifact proxy on (`--serve-artifacts --artifacts-destination <folder>/artifacts`), so
 * clients reach artifacts through `/api/2.0/mlflow-artifacts/…` only. Started when this resolves.
 */
export async function startMlflow(options: MlflowOptions = {}): Promise<MlflowServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mantis-mlflow-'));
  const url = `http://127.0.0.1:${port}`;
  const artifactsDir = join(dir, 'artifacts');
  let child: ChildProcess | undefined;
  let logs = '';
  const flaskKey = randomBytes(16).toString('hex');
  const server: MlflowServer = {
    url,
    artifactsDir,
    async start() {
      const args = [
        'server',
        ...['--host', '127.0.0.1', '--port', String(port), '--workers', '1'],
        ...['--backend-store-uri', `sqlite:///${dir}/mlflow.db`],
        ...['--serve-artifacts', '--artifacts-destination', artifactsDir],
        // The Host header clients send; MLflow refuses others (DNS rebinding protection).
        ...['--allowed-hosts', `127.0.0.1:${port},localhost:${port}`],
        ...(options.adminPassword ? ['--app-name', 'basic-auth'] : []),
      ];
      const env = { ...process.env };
      if (options.adminPassword) {
        env.MLFLOW_AUTH_ADMIN_PASSWORD = options.adminPassword;
        // The auth app's CSRF protection refuses to start without a fixed key.
        env.MLFLOW_FLASK_SERVER_SECRET_KEY = flaskKey;
      }
      logs = '';
      // A process group of its own: the server runs its workers as children, killed with it.
      const started = spawn(MLFLOW, args, {
        cwd: dir,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      const keep = (chunk: Buffer) => {
        logs = (logs + chunk.toString()).slice(-4000);
      };
      started.stdout?.on('data', keep);
      started.stderr?.on('data', keep);
      // The first start creates the SQLite schema (many migrations): give it time on a busy machine.
      const deadline = Date.now() + 120_000;
      for (;;) {
        const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        if (started.exitCode !== null) throw new Error(`mlflow exited with ${started.exitCode}:\n${logs}`);
        if (Date.now() > deadline) throw new Error(`mlflow did not answer on ${url}/health:\n${logs}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((r) => running.once('exit', r));
      try {
        process.kill(-(running.pid as number), 'SIGKILL');
      } catch {
        // The group is already gone.
      }
      await exited;
    },
    async stop() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await server.start();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}
