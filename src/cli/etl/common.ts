import { constants } from 'node:fs';
import { access, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command, CommanderError } from 'commander';
import { createMetrics, type Metrics } from '../../observability/metrics.ts';
import { JobLockedError, LOCKED_EXIT } from './lock.ts';

/** Bad flags, arguments or input file: exit 2. */
export class UsageError extends Error {}

/** Exit 2 for bad flags and arguments (commander's own errors included), 0 after --help. */
export const usageExit = (err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : 2);

/**
 * A bar on stderr when it is a terminal, nothing when piped: `label [#####.....] done/total unit`.
 * Ends the line once done reaches total.
 */
export function progressBar(label: string, unit: string): (done: number, total: number) => void {
  return (done, total) => {
    if (!process.stderr.isTTY) return;
    const width = 30;
    const filled = Math.round((Math.min(done, total) / Math.max(total, 1)) * width);
    process.stderr.write(
      `\r\x1b[2K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit}`,
    );
    if (done >= total) process.stderr.write('\n');
  };
}

/** Writes the job's metrics in Prometheus text format, atomically, for node_exporter's textfile collector. */
export async function writeMetricsFile(
  path: string,
  metrics: Metrics,
  families: string[] = [],
): Promise<void> {
  const names = [...JOB_FAMILIES, ...families];
  const text = await Promise.all(names.map((name) => metrics.registry.getSingleMetricAsString(name)));
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${text.join('\n')}\n`);
  await rename(tmp, path);
}

/** The job runner's metrics, in every job's metrics file; a job adds its own families (and only those). */
const JOB_FAMILIES = [
  'mantis_job_runs_total',
  'mantis_job_duration_seconds',
  'mantis_job_last_run_timestamp_seconds',
  'mantis_job_rows_total',
];

/** Refuses a --metrics-file whose folder is missing or not writable, before the job does anything. */
async function checkMetricsFile(path: string): Promise<void> {
  try {
    await access(dirname(resolve(path)), constants.W_OK);
  } catch (err) {
    throw new UsageError(
      `--metrics-file: cannot write into ${dirname(resolve(path))} (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
}

export interface JobFlags {
  dryRun?: boolean;
  json?: boolean;
  metricsFile?: string;
}

/**
 * Runs one job from the command line with the job runner's metrics (runs, duration, last run; the job adds
 * its rows to `metrics.jobRows`): `run` returns the exit code, 0 success or 2 done with refused input. A
 * throw counts as a failed run, except JobLockedError (the job's lock held elsewhere), counted as skipped.
 * With `--metrics-file` (its folder checked first, UsageError), the job runner's metrics and the job's own
 * `families` are written there after the run, except for a dry run, which is not a run of the job.
 */
export async function runCliJob(
  job: string,
  flags: JobFlags,
  run: (metrics: Metrics) => Promise<number>,
  families: string[] = [],
): Promise<number> {
  if (flags.metricsFile && !flags.dryRun) await checkMetricsFile(flags.metricsFile);
  const metrics = createMetrics();
  const stopTimer = metrics.jobDuration.startTimer({ etl_job: job });
  let outcome: 'success' | 'failure' | 'skipped' = 'failure';
  try {
    const code = await run(metrics);
    outcome = 'success';
    return code;
  } catch (err) {
    if (err instanceof JobLockedError) outcome = 'skipped';
    throw err;
  } finally {
    if (flags.metricsFile && !flags.dryRun) {
      if (outcome !== 'skipped') {
        stopTimer();
        metrics.jobLastRun.set({ etl_job: job, outcome }, Date.now() / 1000);
      }
      metrics.jobRunsTotal.inc({ etl_job: job, outcome });
      await writeMetricsFile(flags.metricsFile, metrics, families);
    }
  }
}

/**
 * The action of an etl subcommand: its exit code, or on a throw the message on stderr and exit 2 for a
 * usage error (those `isUsage` also names) and 1 for anything else (a server that failed).
 */
export function jobAction<A extends unknown[]>(
  job: string,
  action: (...args: A) => Promise<number>,
  isUsage: (err: unknown) => boolean = () => false,
): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      process.exitCode = await action(...args);
    } catch (err) {
      if (err instanceof JobLockedError) {
        process.stderr.write(`mantis etl ${job}: ${err.message}\n`);
        process.exit(LOCKED_EXIT);
      }
      const usage = err instanceof UsageError || isUsage(err);
      process.stderr.write(`mantis etl ${job}: ${(err as Error).message.replace(/\s+/g, ' ')}\n`);
      process.exit(usage ? 2 : 1);
    }
  };
}

/** The options every etl job shares; `writes` adds --dry-run. */
export function jobOptions(command: Command, writes: boolean): Command {
  if (writes) command.option('--dry-run', 'do everything but write; report what would be written');
  return command
    .option('--json', 'print the summary as JSON')
    .option('--metrics-file <file>', 'write the run’s Prometheus metrics there (textfile collector format)')
    .exitOverride(usageExit);
}
