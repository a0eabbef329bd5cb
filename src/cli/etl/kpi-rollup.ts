import type { Command } from 'commander';
import { openMigratedDatabase } from '../../app/modules.ts';
import { databaseUrl } from '../../config/load.ts';
import { checkSpan, ExportFlagError, MAX_RANGE_DAYS } from '../../etl/export-plan.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { RollupResult } from '../../storage/ports/kpis.ts';
import { postgresRepositories } from '../../storage/postgres/repositories.ts';
import { type ConfigFlags, configFromFlags } from '../config.ts';
import { type JobFlags, jobAction, jobOptions, progressBar, runCliJob, UsageError } from './common.ts';
import { runLockedUnlessDry } from './lock.ts';

const JOB = 'kpi-rollup';
const DAY_MS = 86_400_000;

/** A UTC day `YYYY-MM-DD` as epoch ms of its midnight; UsageError naming the flag otherwise. */
export function parseDay(flag: string, text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2025-02-30 over to March: a real day prints back as itself.
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new UsageError(`${flag}: expected a day as YYYY-MM-DD (UTC), got "${text}"`);
  }
  return ms;
}

type RollupFlags = ConfigFlags & JobFlags & { from: string; to?: string };

export interface RollupSummary extends RollupResult {
  dryRun: boolean;
  durationSeconds: number;
}

function printSummary(s: RollupSummary): void {
  const { assets } = s;
  const would = s.dryRun ? 'dry run, nothing written: would have ' : '';
  process.stdout.write(
    `${s.from} to ${s.to} (excluded), ${s.days} day(s): ${assets.rows} asset day(s) recomputed\n` +
      `${would}inserted ${assets.inserted}, changed ${assets.changed}, left ${assets.unchanged} unchanged; ` +
      `${s.lines.rows} line day(s) and ${s.sites.rows} site day(s) complete ` +
      `(${s.lines.affected} and ${s.sites.affected} affected), ${s.durationSeconds.toFixed(2)} s\n`,
  );
}

async function kpiRollup(flags: RollupFlags): Promise<number> {
  const now = Date.now();
  const today = now - (now % DAY_MS);
  const from = parseDay('--from', flags.from);
  const to = flags.to === undefined ? today : parseDay('--to', flags.to);
  if (to <= from)
    throw new UsageError(
      `--to: ${flags.to ?? `today (${new Date(today).toISOString().slice(0, 10)})`} must be after --from ${flags.from}`,
    );
  checkSpan(from, to, MAX_RANGE_DAYS);
  if (to > today) {
    throw new UsageError(
      `--to: ${flags.to} is after today (${new Date(today).toISOString().slice(0, 10)}); ` +
        'only days that are over are stored',
    );
  }
  const config = configFromFlags(flags);
  return runCliJob(JOB, flags, async (metrics: Metrics) => {
    const started = performance.now();
    const { db } = await openMigratedDatabase(config);
    let result: RollupResult;
    try {
      result = await runLockedUnlessDry(db, databaseUrl(config), JOB, flags.dryRun === true, () =>
        postgresRepositories(db).kpis.rollupDays(from, to, now, {
          dryRun: flags.dryRun === true,
          onDay: progressBar('rolling up', 'days'),
        }),
      );
    } finally {
      await db.close();
    }
    const summary: RollupSummary = {
      ...result,
      dryRun: flags.dryRun === true,
      durationSeconds: Math.round(performance.now() - started) / 1000,
    };
    metrics.jobRows.inc({ etl_job: JOB, outcome: 'stored' }, result.assets.inserted + result.assets.changed);
    metrics.jobRows.inc({ etl_job: JOB, outcome: 'unchanged' }, result.assets.unchanged);
    if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else printSummary(summary);
    return 0;
  });
}

/** `mantis etl kpi-rollup`. */
export function kpiRollupCommand(etl: Command, withConfig: (c: Command) => Command) {
  jobOptions(
    withConfig(etl.command(JOB))
      .description(
        'recompute the daily KPI roll-ups of every asset over a range of UTC days and store them (lines and ' +
          'sites sum their assets)',
      )
      .requiredOption('--from <day>', 'first UTC day, YYYY-MM-DD')
      .option(
        '--to <day>',
        'UTC day the range ends before, YYYY-MM-DD (default: today, the first day not over)',
      ),
    true,
  )
    .addHelpText(
      'after',
      '\nIdempotent: a day is inserted once and rewritten only when its totals changed (a downtime recorded ' +
        'late), so a range can be run again safely.\nExit code: 0 done, 1 the database failed, 2 bad flags.',
    )
    .action(jobAction(JOB, kpiRollup, (err) => err instanceof ExportFlagError));
}
