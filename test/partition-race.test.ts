import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/adapters.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { postgresAvailable } from './helpers/infra.ts';
import { createMigratedDatabase } from './helpers/process.ts';

const DAY_MS = 86_400_000;
const ready = (await postgresAvailable()).available;

describe.runIf(ready)('day partitions created by several processes at once', () => {
  let drop: () => Promise<void>;
  let handles: Database[] = [];

  beforeAll(async () => {
    const database = await createMigratedDatabase();
    drop = database.drop;
    // Separate pools: separate sessions, as separate processes have.
    handles = await Promise.all([1, 2, 3, 4].map(() => openDatabase(database.url)));
  }, 120_000);

  afterAll(async () => {
    for (const db of handles) await db.close();
    await drop?.();
  });

  it('creates each day once, and no caller is refused because another created it first', async () => {
    const first = Math.floor(Date.now() / DAY_MS) * DAY_MS + 400 * DAY_MS;
    const days = Array.from({ length: 30 }, (_, i) => first + i * DAY_MS);
    const ensure = (db: Database, day: number) =>
      db.query<{ created: number }>(
        `SELECT mantis_ensure_partitions('raw_readings'::regclass, to_timestamp($1 / 1000.0), to_timestamp($2 / 1000.0)) AS created`,
        [day, day + DAY_MS],
      );
    for (const day of days) {
      const answers = await Promise.all(handles.map((db) => ensure(db, day)));
      // Exactly one of the callers created the day's table; the others found it, whichever way.
      expect(answers.map((rows) => rows[0].created).reduce((a, b) => a + b, 0)).toBe(1);
    }
    const [{ n }] = await handles[0].query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'raw_readings'::regclass
         AND inhrelid::regclass::text >= $1`,
      [`raw_readings_p${new Date(first).toISOString().slice(0, 10).replaceAll('-', '')}`],
    );
    expect(n).toBe(days.length);
  }, 120_000);
});
