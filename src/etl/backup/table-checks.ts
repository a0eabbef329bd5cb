import pg from 'pg';
import type { TableCheck } from './manifest.ts';

/**
 * What a backup records of the database and a restore checks again: server version, TimescaleDB, schema
 * version, and per table the row count and CHECKSUM_METHOD's checksum (manifest.ts). Runs on one pg
 * client so that a backup reads them inside the snapshot pg_dump dumps.
 */

export type PgClient = Pick<pg.Client, 'query'>;

/** Settings that fix row::text whatever the server's or database's defaults (CHECKSUM_METHOD). */
export const CHECKSUM_SETTINGS = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';
SET extra_float_digits = 3; SET bytea_output = 'hex'`;

/**
 * Tables whose rows a backup carries: ordinary and partitioned tables outside the system schemas and
 * TimescaleDB's own, leaving out partitions, inheritance children (hypertable chunks) and extension
 * members, whose rows their parent or the extension already counts.
 */
const TABLES = `
SELECT format('%I.%I', n.nspname, c.relname) AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND n.nspname NOT LIKE '\\_timescaledb%' AND n.nspname NOT LIKE 'timescaledb\\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1`;

/** The row count and checksum of every table TABLES names, in name order. */
export async function tableChecks(client: PgClient): Promise<TableCheck[]> {
  await client.query(CHECKSUM_SETTINGS);
  const { rows: tables } = await client.query<{ name: string }>(TABLES);
  const checks: TableCheck[] = [];
  for (const { name } of tables) {
    // name is format('%I.%I'): already quoted as an identifier.
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `SELECT count(*) AS rows,
              coalesce(sum(('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint::numeric), 0)::text AS checksum
       FROM ${name} t`,
    );
    checks.push({ name, rows: Number(rows[0].rows), checksum: rows[0].checksum });
  }
  return checks;
}

export interface ServerFacts {
  name: string;
  serverVersion: string;
  serverMajor: number;
  timescaledb: string | null;
  /** Latest successful versioned migration in mantis_schema_history; 0 without one. */
  schemaVersion: number;
}

/** The database's name, version, TimescaleDB version and schema version. */
export async function serverFacts(client: PgClient): Promise<ServerFacts> {
  const { rows } = await client.query<{
    name: string;
    version: string;
    num: string;
    tsdb: string | null;
    history: boolean;
  }>(
    `SELECT current_database() AS name, current_setting('server_version') AS version,
            current_setting('server_version_num') AS num,
            (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS tsdb,
            to_regclass('mantis_schema_history') IS NOT NULL AS history`,
  );
  const facts = rows[0];
  let schemaVersion = 0;
  if (facts.history) {
    const { rows: h } = await client.query<{ v: number | null }>(
      `SELECT max(version::integer) AS v FROM mantis_schema_history WHERE success AND version IS NOT NULL`,
    );
    schemaVersion = h[0].v ?? 0;
  }
  return {
    name: facts.name,
    serverVersion: facts.version.split(' ')[0],
    serverMajor: Math.floor(Number(facts.num) / 10_000),
    timescaledb: facts.tsdb,
    schemaVersion,
  };
}

/**
 * What a restore target already holds besides extensions: relations, functions and types in any
 * non-system schema, and schemas besides public. Empty means pg_restore may write there.
 */
export async function targetContents(client: PgClient): Promise<string[]> {
  const { rows } = await client.query<{ what: string }>(`
    SELECT format('%s %I.%I', CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
             WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' ELSE 'relation' END,
             n.nspname, c.relname) AS what
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('function %I.%I', n.nspname, p.proname)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('schema %I', n.nspname)
    FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public') AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = n.oid AND d.deptype = 'e')
    ORDER BY 1`);
  return rows.map((r) => r.what);
}

/** A client on `url` that fails fast when the server does not answer. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A connection lost while idle (the server stopped mid-dump) is an 'error' event, which would end the
  // process unhandled; the query in progress, or the next one, rejects with it and fails the run cleanly.
  client.on('error', () => {});
  await client.connect();
  return client;
}
