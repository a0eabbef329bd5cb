import type { AddressInfo } from 'node:net';
import type { Config } from '../config/schema.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { createMetrics, type Metrics } from '../observability/metrics.ts';
import { type ModuleName, modules, type Running, type Services, startOrder, type Target } from './modules.ts';
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
  readonly services: Services;
  private readonly running: { name: ModuleName; module: Running }[] = [];
  private stopping: Promise<void> | null = null;

  private constructor(target: Target, services: Services, tokenGenerated: boolean) {
    this.target = target;
    this.services = services;
    this.token = services.token;
    this.tokenGenerated = tokenGenerated;
  }

  static async start(config: Config, options: StartOptions = {}): Promise<MantisApp> {
    const target = options.target ?? 'all';
    const log = options.log ?? createLogger(config.log.level, { target });
    const { token, generated } = resolveToken(config);
    const services: Services = {
      config,
      log,
      metrics: createMetrics(),
      token,
      version,
      target,
      routes: [],
      readiness: async () => app.readiness(),
    };
    services.metrics.buildInfo.set({ version, target }, 1);
    const app = new MantisApp(target, services, generated);
    try {
      for (const name of startOrder(target)) {
        app.running.push({ name, module: await modules[name].start(services) });
      }
    } catch (err) {
      log.error({ err }, 'start-up failed; stopping what started');
      await app.stop();
      throw err;
    }
    log.info({ target, modules: app.running.map((r) => r.name) }, 'mantis started');
    return app;
  }

  get metrics(): Metrics {
    return this.services.metrics;
  }

  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8080. */
  get url(): string {
    const address = this.services.server?.server.address() as AddressInfo | null;
    if (!address) throw new Error('the HTTP server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  }

  async readiness() {
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
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
      const { log } = this.services;
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
