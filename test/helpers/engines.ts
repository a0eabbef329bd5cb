import type { MantisApp } from '../../src/app/app.ts';
import { startApp } from './app.ts';
import { createTestDatabase, postgresAvailable, TEST_TIME_ZONE } from './infra.ts';

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

/** PGlite with its session in TEST_TIME_ZONE, for the suites that turn instants into days. */
export const zonedPglite: Engine = {
  name: `embedded PGlite in ${TEST_TIME_ZONE}`,
  async start(settings = {}) {
    const app = await startApp(settings);
    // PGlite is one session: the setting holds for every later statement.
    await app.services.db?.exec(`SET timezone TO '${TEST_TIME_ZONE}'`);
    return { app, stop: () => app.stop() };
  },
};

const postgres: Engine = {
  name: `PostgreSQL in ${TEST_TIME_ZONE}`,
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

/**
 * The database engines a suite runs on: PGlite (in UTC) always, PostgreSQL (in TEST_TIME_ZONE) when reachable
 * (required in CI).
 */
export const engines: Engine[] = [pglite, ...((await postgresAvailable()).available ? [postgres] : [])];
