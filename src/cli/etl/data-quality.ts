import type { Command } from 'commander';
import { openMigratedDatabase } from '../../app/modules.ts';
import { rawStoreContext } from '../../app/raw-store.ts';
import { databaseUrl } from '../../config/load.ts';
import { defaultThresholds, type SensorQuality } from '../../domain/data-quality.ts';
import { auditRange, type QualityReport } from '../../etl/data-quality.ts';
import { recordQuality } from '../../etl/data-quality-metrics.ts';
import { checkSpan, ExportFlagError, parseInstant } from '../../etl/export-plan.ts';
import { createLogger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { adapterFor } from '../../storage/adapters.ts';
import { postgresRepositories } from '../../storage/postgres/repositories.ts';
import { postgresWindowLedger } from '../../storage/postgres/window-ledger.ts';
import { type ConfigFlags, configFromFlags } from '../config.ts';
import { runLocked } from './lock.ts';

/** The longest range one data-quality run audits, in days. */
const MAX_QUALITY_DAYS = 366;

/** The metrics a data-quality run writes to its metrics file, besides the job runner's. */
const QUALITY_FAMILIES = [
  'mantis_data_quality_gaps',
  'mantis_data_quality_flat_lines',
  'mantis_data_quality_out_of_range_readings',
  'mantis_data_quality_late_readings',
  'mantis_data_quality_clock_skew_seconds',
  'mantis_data_quality_sensors_with_issues',
  'mantis_data_quality_range_end_timestamp_seconds',
];

import { type JobFlags, jobAction, jobOptions, progressBar, runCliJob, UsageError } from './common.ts';

const JOB = 'data-quality';

/** Issue kinds --fail-on takes, and whether a report has any of each. */
const KINDS: Record<string, (r: QualityReport) => boolean> = {
  gaps: (r) => r.totals.gaps > 0,
  'flat-lines': (r) => r.totals.flatLines > 0,
  'out-of-range': (r) => r.totals.outOfRange > 0,
  'at-limit': (r) => r.totals.atLimit > 0,
  late: (r) => r.totals.lateReadings > 0,
  'clock-skew': (r) => r.totals.skewedSensors > 0,
};

function number(flag: string, text: string, min: number, integer: boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `${flag}: expected ${integer ? 'a whole number' : 'a number'} ≥ ${min}, got "${text}"`,
    );
  }
  return n;
}

const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`);

function printTable(r: QualityReport): void {
  const head = [
    'sensor',
    'asset',
    'readings',
    'gaps',
    'longest gap',
    'flat',
    'out',
    'at limit',
    'late',
    'lag',
    'lead',
  ];
  const rows = r.sensors.map((s: SensorQuality) => [
    s.sensorId,
    s.assetId,
    `${s.readings}/${s.expected}`,
    String(s.gaps.count),
    s.gaps.longest ? seconds(s.gaps.longest.to - s.gaps.longest.from) : '-',
    String(s.flatLines.count),
    String(s.outOfRange.below + s.outOfRange.above),
    String(s.outOfRange.atLimit),
    s.lateReadings === null ? '-' : String(s.lateReadings),
    `${seconds(s.clockSkew.lagMs)}${s.clockSkew.flagged ? '!' : ''}`,
    seconds(s.clockSkew.leadMs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const t = r.totals;
  const th = r.thresholds;
  const out = [
    line(head),
    ...rows.map(line),
    ...r.notAssessed.map((n) => `${n.sensorId} (${n.assetId}): not assessed, ${n.reason}`),
    `${r.from} to ${r.to}: ${t.sensors} sensor(s), ${t.sensorsWithIssues} with issues: ${t.gaps} gap(s), ` +
      `${t.flatLines} flat line(s), ${t.outOfRange} out of range, ${t.atLimit} at a limit, ` +
      `${t.lateReadings} late, ${t.skewedSensors} skewed`,
    `thresholds: gap > ${th.gapFactor} × period, flat ≥ ${th.flatSamples} samples, skew > ${th.skewMs / 1000} s ` +
      `(windows ${th.windowSeconds} s, allowed lateness ${th.allowedLatenessSeconds} s)`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

type QualityFlags = ConfigFlags &
  JobFlags & {
    from: string;
    to?: string;
    asset?: string;
    gapFactor: string;
    flatSamples: string;
    skewSeconds: string;
    failOn?: string;
  };

async function dataQuality(flags: QualityFlags): Promise<number> {
  const now = Date.now();
  const from = parseInstant('--from', flags.from);
  const to = flags.to === undefined ? now : parseInstant('--to', flags.to);
  if (to <= from) throw new UsageError(`--to: ${flags.to ?? 'now'} must be after --from ${flags.from}`);
  // Each sensor's readings of the range are read whole: a year at most in one run.
  checkSpan(from, to, MAX_QUALITY_DAYS);
  const thresholds = {
    gapFactor: number('--gap-factor', flags.gapFactor, 1, false),
    flatSamples: number('--flat-samples', flags.flatSamples, 2, true),
    skewMs: number('--skew-seconds', flags.skewSeconds, 0, false) * 1000,
  };
  if (flags.failOn !== undefined && flags.failOn.trim() === '')
    throw new UsageError('--fail-on: expected any or a comma-separated list of kinds, got ""');
  const failOn = (flags.failOn ?? '').split(',').filter((k) => k !== '');
  for (const kind of failOn) {
    if (kind !== 'any' && !(kind in KINDS)) {
      throw new UsageError(
        `--fail-on: unknown kind "${kind}"; expected any or ${Object.keys(KINDS).join(', ')}`,
      );
    }
  }
  const config = configFromFlags(flags);
  return runCliJob(
    JOB,
    flags,
    async (metrics: Metrics) => {
      const { db } = await openMigratedDatabase(config);
      try {
        const repositories = postgresRepositories(db);
        if (flags.asset && !(await repositories.registry.getAsset(flags.asset)))
          throw new UsageError(`--asset: unknown asset "${flags.asset}"`);
        const log = createLogger('silent');
        const { url } = config.rawStore;
        const raw = await adapterFor('rawStore', url).create(
          url,
          rawStoreContext(db, repositories.registry, metrics, log),
        );
        let report: QualityReport;
        try {
          report = await runLocked(db, databaseUrl(config), JOB, () =>
            auditRange(
              { sensors: () => repositories.registry.sensors(), raw, ledger: postgresWindowLedger(db) },
              {
                from,
                to,
                now,
                windowMs: config.pipeline.windowSeconds * 1000,
                latenessMs: config.pipeline.allowedLatenessSeconds * 1000,
                thresholds,
                assetId: flags.asset,
                onSensor: progressBar('auditing', 'sensors'),
              },
            ),
          );
        } finally {
          await raw.close();
        }
        recordQuality(metrics, report, to);
        if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printTable(report);
        const failed = failOn.some((k) =>
          k === 'any' ? report.totals.sensorsWithIssues > 0 : KINDS[k](report),
        );
        return failed ? 3 : 0;
      } finally {
        await db.close();
      }
    },
    QUALITY_FAMILIES,
  );
}

/** `mantis etl data-quality`. */
export function dataQualityCommand(etl: Command, withConfig: (c: Command) => Command) {
  jobOptions(
    withConfig(etl.command(JOB))
      .description(
        'audit every sensor’s readings over a range: gaps, flat lines, out-of-range values, late data, clock skew',
      )
      .requiredOption('--from <time>', 'start, YYYY-MM-DD (UTC) or ISO 8601 with a zone')
      .option('--to <time>', 'end (excluded), same forms (default: now)')
      .option('--asset <id>', 'only this asset’s sensors')
      .option(
        '--gap-factor <n>',
        'a gap is a silence longer than n × the sensor’s nominal period',
        String(defaultThresholds.gapFactor),
      )
      .option(
        '--flat-samples <n>',
        'a flat line is n or more consecutive identical readings',
        String(defaultThresholds.flatSamples),
      )
      .option(
        '--skew-seconds <s>',
        'flag a clock lag or lead larger than this',
        String(defaultThresholds.skewMs / 1000),
      )
      .option(
        '--fail-on <kinds>',
        `exit 3 when any of these is found: any, ${Object.keys(KINDS).join(', ')}`,
      ),
    false,
  )
    .addHelpText(
      'after',
      '\nReads through the raw store (the database or InfluxDB) and the stored feature windows; see ' +
        'docs/operations.md for what each measure can and cannot tell.\nExit code: 0 done (issues are ' +
        'reported, not failures), 1 a store failed, 2 bad flags, 3 issues of a --fail-on kind found.',
    )
    .action(jobAction(JOB, dataQuality, (err) => err instanceof ExportFlagError));
}
