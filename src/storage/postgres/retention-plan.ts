import type { Queryable } from '../ports/database.ts';
import type { RetentionPlan } from '../ports/partitions.ts';

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * What mantis_apply_retention (V002) would remove at `now`, without removing it: the same cutoffs, computed
 * in UTC whatever the session's zone (days of 24 h, as that function runs with timezone UTC). Under
 * TimescaleDB, its retention policies instead (timescaledb_information.jobs, policy_retention).
 */
export async function retentionPlan(db: Queryable, now: number): Promise<RetentionPlan> {
  const [{ timescaledb }] = await db.query<{ timescaledb: boolean }>(
    'SELECT mantis_timescaledb() AS timescaledb',
  );
  if (timescaledb) {
    const policies = await db.query<{ relation: string; drop_after: string; next_start: number | null }>(
      `SELECT coalesce(c.view_name, j.hypertable_name)::text AS relation, j.config->>'drop_after' AS drop_after,
              (extract(epoch FROM j.next_start) * 1000)::float8 AS next_start
       FROM timescaledb_information.jobs j
       LEFT JOIN timescaledb_information.continuous_aggregates c
         ON c.materialization_hypertable_name = j.hypertable_name
       WHERE j.proc_name = 'policy_retention' ORDER BY 1`,
    );
    return {
      engine: 'timescaledb',
      partitions: [],
      rows: [],
      policies: policies.map((p) => ({
        relation: p.relation,
        dropAfter: p.drop_after,
        nextStart: p.next_start,
      })),
    };
  }
  const rules = await db.query<{
    relation: string;
    time_column: string;
    cutoff: number;
    partitioned: boolean;
  }>(
    `SELECT r.relation, r.time_column,
            (extract(epoch FROM to_timestamp($1 / 1000.0) - r.keep_days * interval '24 hours') * 1000)::float8
              AS cutoff,
            EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = r.relation::regclass) AS partitioned
     FROM mantis_retention r WHERE r.keep_days > 0 ORDER BY r.relation`,
    [now],
  );
  const partitions = await db.query<{ relation: string; partition: string; day: string }>(
    `SELECT r.relation, c.relname::text AS partition, to_char(right(c.relname, 8)::date, 'YYYY-MM-DD') AS day
     FROM mantis_retention r
     JOIN pg_partitioned_table pt ON pt.partrelid = r.relation::regclass
     JOIN pg_inherits i ON i.inhparent = pt.partrelid
     JOIN pg_class c ON c.oid = i.inhrelid
     WHERE r.keep_days > 0 AND c.relname ~ '_p[0-9]{8}$'
       AND (right(c.relname, 8)::date + 1)::timestamp AT TIME ZONE 'UTC'
           <= to_timestamp($1 / 1000.0) - r.keep_days * interval '24 hours'
     ORDER BY 1, 2`,
    [now],
  );
  const rows: RetentionPlan['rows'] = [];
  for (const rule of rules.filter((r) => !r.partitioned)) {
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM ${ident(rule.relation)}
       WHERE ${ident(rule.time_column)} < to_timestamp($1 / 1000.0)`,
      [rule.cutoff],
    );
    rows.push({ relation: rule.relation, before: rule.cutoff, rows: n });
  }
  return { engine: 'native', partitions, rows, policies: [] };
}
