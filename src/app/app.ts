import type { AddressInfo } from 'node:net';
import type { Config } from '../config/schema.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { createMetrics, type Metrics } from '../observability/metrics.ts';
import {
  type Check,
  type Context,
  type ModuleDefinition,
  type ModuleName,
  modules,
  type Provided,
  type Running,
  startOrder,
  type Target,
} from './modules.ts';
import { resolveToken } from './token.ts';
import { version } from './version.ts';

export interface StartOptions {
  target?: Target;
  log?: Logger;
}

/** A running MANTIS: the modules of one target, started in dependency order. */
export class MantisApp {
  readonly target: Target;
  readonly token: string;
  readonly tokenGenerated: boolean;
  readonly context: Context;
  /** What each running module provides (the database, the bus, the HTTP server…). */
  private readonly provided: Partial<Provided> = {};
  private readonly running: { name: ModuleName; module: Running }[] = [];
  private stopping: Promise<void> | null = null;

  private constructor(context: Context, tokenGenerated: boolean) {
    this.context = context;
    this.target = context.target;
    this.token = context.token;
    this.tokenGenerated = tokenGenerated;
  }

  static async start(config: Config, options: StartOptions = {}): Promise<MantisApp> {
    const target = options.target ?? 'all';
    const log = options.log ?? createLogger(config.log.level, { target });
    const { token, generated } = resolveToken(config);
    const context: Context = {
      config,
      log,
      metrics: createMetrics(),
      token,
      version,
      target,
      readiness: async () => app.readiness(),
    };
    context.metrics.buildInfo.set({ version, target }, 1);
    const app = new MantisApp(context, generated);
    try {
      for (const name of startOrder(target)) {
        const definition: ModuleDefinition<unknown> = modules[name];
        const module = await definition.start(context, app.provided);
        (app.provided as Record<ModuleName, unknown>)[name] = module.value;
        app.running.push({ name, module });
      }
    } catch (err) {
      log.error({ err }, 'start-up failed; stopping what started');
      await app.stop();
      throw err;
    }
    log.info({ target, modules: app.running.map((r) => r.name) }, 'mantis started');
    return app;
  }

  /**
   * The process-wide context and what the running modules provide, for the CLI and tests: absent when the
   * target does not run the module.
   */
  get services() {
    const p = this.provided;
    return {
      ...this.context,
      db: p.database,
      bus: p.bus,
      sensors: p.ingest?.sensors,
      mqttPort: p.mqtt?.port,
      server: p.server,
      processor: p.process,
    };
  }

  get metrics(): Metrics {
    return this.context.metrics;
  }

  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8080. */
  get url(): string {
    const address = this.provided.server?.server.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the HTTP server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  }

  /** Every running module's readiness probe, run at once; ready when all answer ok and no stop has begun. */
  async readiness() {
    const checks: Record<string, Check> = {};
    await Promise.all(
      this.running.map(async ({ name, module }) => {
        if (!module.check) return;
        try {
          checks[name] = await module.check();
        } catch (err) {
          checks[name] = { ok: false, detail: (err as Error).message };
        }
      }),
    );
    const ready = !this.stopping && Object.values(checks).every((c) => c.ok);
    return { status: ready ? ('ready' as const) : ('not_ready' as const), checks };
  }

  /** Stops modules in reverse start order; each drains its in-flight work first. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const { log } = this.context;
      for (const { name, module } of [...this.running].reverse()) {
        try {
          await module.stop();
        } catch (err) {
          log.error({ err, module: name }, 'module failed to stop cleanly');
        }
      }
      log.info('mantis stopped');
    })();
    return this.stopping;
  }
}
