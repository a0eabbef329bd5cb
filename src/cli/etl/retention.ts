import type { Command } from 'commander';
import { openMigratedDatabase } from '../../app/modules.ts';
import { databaseUrl } from '../../config/load.ts';
import type { RetentionPlan } from '../../storage/ports/partitions.ts';
import { postgresRepositories } from '../../storage/postgres/repositories.ts';
import { type ConfigFlags, configFromFlags } from '../config.ts';
import { type JobFlags, jobAction, jobOptions, runCliJob } from './common.ts';
import { JobLockedError, LOCKED_EXIT, runLocked } from './lock.ts';

/** The job the etl target schedules as etl.schedules.retention: its metrics label and its lock. */
const JOB = 'retention';

export interface RetentionSummary {
  job: string;
  dryRun: boolean;
  /** The instant retention was computed for, ISO 8601. */
  at: string;
  engine: RetentionPlan['engine'];
  /** Partitions dropped (or, in a dry run, that would be). */
  partitions: RetentionPlan['partitions'];
  dropped: number;
  /** Rows of unpartitioned roll-up tables deleted (or that would be), older than `before`. */
  rows: { relation: string; before: string; rows: number }[];
  /** TimescaleDB: its retention policies, which drop chunks on their own schedule. */
  policies: { relation: string; dropAfter: string; nextStart: string | null }[];
  durationSeconds: number;
}

function summarize(plan: RetentionPlan, at: number, dryRun: boolean, dropped: number, seconds: number) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    job: JOB,
    dryRun,
    at: iso(at),
    engine: plan.engine,
    partitions: plan.partitions,
    dropped,
    rows: plan.rows.map((r) => ({ ...r, before: iso(r.before) })),
    policies: plan.policies.map((p) => ({ ...p, nextStart: p.nextStart === null ? null : iso(p.nextStart) })),
    durationSeconds: seconds,
  } satisfies RetentionSummary;
}

function printSummary(s: RetentionSummary): void {
  const lines: string[] = [];
  if (s.engine === 'timescaledb') {
    lines.push('TimescaleDB applies retention with its own policies; nothing for this command to drop.');
    for (const p of s.policies)
      lines.push(
        `  ${p.relation}: chunks dropped after ${p.dropAfter}, next at ${p.nextStart ?? 'not scheduled'}`,
      );
    if (s.policies.length === 0) lines.push('  no retention policy: every row is kept (retention days 0)');
  } else {
    const verb = s.dryRun ? 'would drop' : 'dropped';
    for (const p of s.partitions) lines.push(`${verb} ${p.partition} (${p.relation}, ${p.day})`);
    for (const r of s.rows.filter((x) => x.rows > 0))
      lines.push(
        `${s.dryRun ? 'would delete' : 'deleted'} ${r.rows} row(s) of ${r.relation} before ${r.before}`,
      );
    const rows = s.rows.reduce((n, r) => n + r.rows, 0);
    lines.push(
      `${s.dryRun ? 'dry run, nothing dropped: would drop' : 'dropped'} ${s.dryRun ? s.partitions.length : s.dropped} ` +
        `partition(s) and ${s.dryRun ? 'delete' : 'deleted'} ${rows} roll-up row(s) past retention at ${s.at}, ` +
        `${s.durationSeconds.toFixed(2)} s`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function retention(flags: ConfigFlags & JobFlags): Promise<number> {
  const config = configFromFlags(flags);
  const dryRun = flags.dryRun === true;
  const started = performance.now();
  const now = Date.now();
  const { db } = await openMigratedDatabase(config);
  try {
    const { partitions } = postgresRepositories(db);
    const report = (plan: RetentionPlan, dropped: number) => {
      const summary = summarize(plan, now, dryRun, dropped, Math.round(performance.now() - started) / 1000);
      if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else printSummary(summary);
    };
    // A dry run reads only: no lock, no record, no metrics.
    if (dryRun) {
      report(await partitions.plan(now), 0);
      return 0;
    }
    return await runCliJob(JOB, flags, () =>
      runLocked(db, databaseUrl(config), JOB, async () => {
        const plan = await partitions.plan(now);
        report(plan, await partitions.maintain(now));
        return 0;
      }),
    );
  } catch (err) {
    if (!(err instanceof JobLockedError)) throw err;
    process.stderr.write(`mantis etl retention: ${err.message}\n`);
    return LOCKED_EXIT;
  } finally {
    await db.close();
  }
}

/** `mantis etl retention`. */
export function retentionCommand(etl: Command, withConfig: (c: Command) => Command) {
  jobOptions(
    withConfig(etl.command('retention')).description(
      'drop the time partitions past retention (database.*RetentionDays) and create those ahead, once',
    ),
    true,
  )
    .addHelpText(
      'after',
      '\nThe retention job of the etl target (etl.schedules.retention), run now under the same lock, so that ' +
        'it never overlaps a scheduled run.\nWith TimescaleDB, its retention policies drop chunks themselves: ' +
        'the command lists them.\nExit code: 0 done, 1 the database failed, 2 bad flags, ' +
        `${LOCKED_EXIT} another run holds the job's lock (nothing done; try again later).`,
    )
    .action(jobAction('retention', retention));
}
