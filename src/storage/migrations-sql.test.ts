import { parse, parsePlPgSQL } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { defaultPlaceholders, readMigrations, substitute } from './migrate.ts';

/**
 * The TimescaleDB branch of the migrations never runs on the servers available to the test suite, so every
 * statement in it is checked here by PostgreSQL's own parser (libpg-query): the scripts, the DO blocks and
 * function bodies (PL/pgSQL parser), and each SQL statement inside those.
 */

const placeholders = defaultPlaceholders();

type Node = Record<string, unknown>;

/**
 * PL/pgSQL keeps statements (parse mode 0), expressions (2) and assignments (3–5, "target := expr");
 * the last two become a SELECT of the expression.
 */
function asStatement(query: string, parseMode: number): string {
  if (parseMode === 0) return query;
  return `SELECT ${parseMode === 2 ? query : query.slice(query.indexOf(':=') + 2)}`;
}

/** Every SQL text embedded in a PL/pgSQL tree (statements, conditions, PERFORM queries). */
function embeddedQueries(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) embeddedQueries(item, out);
  else if (node && typeof node === 'object') {
    const expr = (node as Node).PLpgSQL_expr as { query?: string; parseMode?: number } | undefined;
    if (expr?.query) out.push(asStatement(expr.query, expr.parseMode ?? 0));
    for (const value of Object.values(node)) embeddedQueries(value, out);
  }
  return out;
}

/** The SQL inside a script's DO blocks and PL/pgSQL functions, one parse tree per block or function. */
async function plpgsqlQueries(sql: string): Promise<string[]> {
  const functions = (await parsePlPgSQL(sql)) as unknown as { plpgsql_funcs: unknown[] };
  return functions.plpgsql_funcs.flatMap((fn) => embeddedQueries(fn));
}

describe('migration SQL, checked by the PostgreSQL parser', () => {
  const scripts = readMigrations().map((m) => ({ script: m.script, sql: substitute(m, placeholders) }));

  it.each(scripts)(
    '$script parses, and so does every statement inside its PL/pgSQL blocks',
    async ({ sql }) => {
      await expect(parse(sql)).resolves.toBeDefined();
      for (const query of await plpgsqlQueries(sql)) {
        await expect(parse(query), query).resolves.toBeDefined();
      }
    },
  );

  it('holds the TimescaleDB statements: hypertables, continuous aggregates and their policies', async () => {
    const queries: string[] = [];
    for (const { sql } of scripts) queries.push(...(await plpgsqlQueries(sql)));
    const timescale = queries.filter((q) =>
      /create_hypertable|timescaledb\.|_policy\(|set_chunk_time_interval|time_bucket/.test(q),
    );
    const has = (pattern: RegExp) => timescale.filter((q) => pattern.test(q)).length;
    expect(has(/create_hypertable\('(features|raw_readings|raw_blocks)', by_range/)).toBe(3);
    // Created in V002, created again in V013 (overflow-free roll-ups) and V017 (velocity severity) with their
    // policies.
    expect(has(/CREATE MATERIALIZED VIEW features_1[mhd]\s+WITH \(timescaledb\.continuous/)).toBe(9);
    expect(has(/set_chunk_time_interval/)).toBe(3);
    expect(has(/timescaledb\.compress,/)).toBe(3);
    expect(has(/add_compression_policy/)).toBe(1);
    expect(has(/add_retention_policy/)).toBe(3);
    expect(has(/add_continuous_aggregate_policy\('features_1[mhd]'/)).toBe(9);
    // Each continuous aggregate's query is itself a valid SELECT once the view wrapper is removed.
    for (const view of timescale.filter((q) => q.startsWith('CREATE MATERIALIZED VIEW'))) {
      const select = view.slice(view.indexOf('AS\n') + 3, view.lastIndexOf('WITH NO DATA'));
      const tree = await parse(select);
      expect(Object.keys(tree.stmts?.[0].stmt as Node)).toEqual(['SelectStmt']);
    }
  });

  it('rejects what is not SQL, so the checks above can fail', async () => {
    await expect(
      parse('CREATE MATERIALIZED VIEW v WITH (timescaledb.continuous) AS SELEC 1'),
    ).rejects.toThrow(/syntax error/);
  });
});
