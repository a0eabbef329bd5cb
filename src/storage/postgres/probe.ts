import pg from 'pg';
import type { Probe } from '../../lib/probe.ts';
import { readMigrations } from '../migrate.ts';

/** PostgreSQL: a query, the MANTIS schema version against this build's, and whether TimescaleDB is there. */
export function postgresProbe(url: string, timeoutMs: number): Probe {
  // The schema this build needs: read from the migration files once, not at every check of --wait.
  const needed = Math.max(...readMigrations().map((m) => m.version ?? 0));
  return async () => {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      application_name: 'mantis-doctor',
    });
    await client.connect();
    try {
      const server = (
        await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")
      ).rows[0].v.split(' ')[0];
      const migrated = (await client.query("SELECT to_regclass('mantis_schema_history') AS t")).rows[0].t;
      const history = migrated
        ? await client.query<{ v: number }>(
            `SELECT coalesce(max(version::int), 0) AS v FROM mantis_schema_history
             WHERE success AND version IS NOT NULL`,
          )
        : { rows: [{ v: null }] };
      const timescale = await client.query<{ v: string }>(
        "SELECT extversion AS v FROM pg_extension WHERE extname = 'timescaledb'",
      );
      const schema = history.rows[0].v;
      if (schema === null || schema < needed)
        throw new Error(
          `schema at version ${schema ?? 'none'}, this MANTIS needs ${needed}: run mantis migrate`,
        );
      const ts = timescale.rows[0]
        ? `TimescaleDB ${timescale.rows[0].v}`
        : 'no TimescaleDB (native partitions)';
      return `PostgreSQL ${server}, schema ${schema}/${needed}, ${ts}`;
    } finally {
      await client.end();
    }
  };
}
