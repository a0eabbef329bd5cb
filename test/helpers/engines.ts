import type { MantisApp } from '../../src/app/app.ts';
import { startApp } from './app.ts';
import { createTestDatabase, postgresAvailable } from './infra.ts';

export interface Engine {
  name: string;
  /** Starts MANTIS on this engine; stop() also drops what the engine made for it. */
  start(settings?: Record<string, unknown>): Promise<{ app: MantisApp; stop: () => Promise<void> }>;
}

const pglite: Engine = {
  name: 'embedded PGlite',
  async start(settings = {}) {
    const app = await startApp(settings);
    return { app, stop: () => app.stop() };
  },
};

const postgres: Engine = {
  name: 'PostgreSQL',
  async start(settings = {}) {
    const database = await createTestDatabase();
    const app = await startApp({
      'database.url': database.url,
      'ingest.token': 'test-token-0123456789abcdef',
      ...settings,
    });
    return {
      app,
      stop: async () => {
        await app.stop();
        await database.drop();
      },
    };
  },
};

/** The database engines a suite runs on: PGlite always, PostgreSQL when reachable (required in CI). */
export const engines: Engine[] = [pglite, ...((await postgresAvailable()).available ? [postgres] : [])];
