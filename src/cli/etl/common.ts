import { rename, writeFile } from 'node:fs/promises';
import type { Command, CommanderError } from 'commander';
import { createMetrics, type Metrics } from '../../observability/metrics.ts';

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
export async function writeMetricsFile(path: string, metrics: Metrics): Promise<void> {
  const names = [
    'mantis_job_runs_total',
    'mantis_job_duration_seconds',
    'mantis_job_last_run_timestamp_seconds',
    'mantis_job_rows_total',
    'mantis_data_quality_gaps',
    'mantis_data_quality_flat_lines',
    'mantis_data_quality_out_of_range_readings',
    'mantis_data_quality_late_readings',
    'mantis_data_quality_clock_skew_seconds',
    'mantis_data_quality_sensors_with_issues',
    'mantis_data_quality_range_end_timestamp_seconds',
    'mantis_backup_size_bytes',
    'mantis_backup_last_success_timestamp_seconds',
  ];
  const text = await Promise.all(names.map((name) => metrics.registry.getSingleMetricAsString(name)));
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${text.join('\n')}\n`);
  await rename(tmp, path);
}

export interface JobFlags {
  dryRun?: boolean;
  json?: boolean;
  metricsFile?: string;
}

/**
 * Runs one job from the command line with the job runner's metrics (runs, duration, last run; the job adds
 * its rows to `metrics.jobRows`): `run` returns the exit code, 0 success or 2 done with refused input. A
 * throw counts as a failed run. With `--metrics-file`, the metrics are written there after the run, except
 * for a dry run, which is not a run of the job.
 */
export async function runCliJob(
  job: string,
  flags: JobFlags,
  run: (metrics: Metrics) => Promise<number>,
): Promise<number> {
  const metrics = createMetrics();
  const stopTimer = metrics.jobDuration.startTimer({ job });
  let outcome: 'success' | 'failure' = 'failure';
  try {
    const code = await run(metrics);
    outcome = 'success';
    return code;
  } finally {
    if (flags.metricsFile && !flags.dryRun) {
      stopTimer();
      metrics.jobRunsTotal.inc({ job, outcome });
      metrics.jobLastRun.set({ job, outcome }, Date.now() / 1000);
      await writeMetricsFile(flags.metricsFile, metrics);
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
