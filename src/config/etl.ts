import { z } from 'zod';
import { isTimeZone, scheduleProblem } from '../etl/schedule.ts';

const cronHelp =
  'cron expression in etl.timezone (5 fields: minute hour day-of-month month day-of-week; 6 with seconds first; or @hourly, @daily…), or off';

const schedule = (fallback: string, what: string) =>
  z.string().min(1).default(fallback).describe(`${what}. Runs at: ${cronHelp}.`);

/**
 * The etl target's job schedules. Each is checked with the time zone it runs in, and a bad one is refused at
 * load naming its setting (etl.schedules.<job>).
 */
export const etlSchema = z
  .strictObject({
    timezone: z
      .string()
      .refine(isTimeZone, 'unknown time zone; expected an IANA name such as Europe/Paris or UTC')
      .default('UTC')
      .describe(
        'IANA time zone the schedules are read in (Europe/Paris): 30 2 * * * is 02:30 there, daylight saving included.',
      ),
    backupKeep: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(7)
      .describe(
        'Complete backups the scheduled backup keeps in the object store; older ones are removed after it.',
      ),
    schedules: z
      .strictObject({
        retention: schedule(
          '0 * * * *',
          'Retention (job retention): drops the time partitions past retention, creates those ahead',
        ),
        kpiRollup: schedule('5 * * * *', 'KPI roll-ups (job kpi-rollup): the daily KPIs of the last 35 days'),
        dataQuality: schedule(
          '10 * * * *',
          'Data-quality report of the last hour (job data-quality): the mantis_data_quality_* gauges',
        ),
        backup: schedule(
          '30 2 * * *',
          'Database backup to the object store (job backup; a PostgreSQL server only: the embedded database is backed up by copying its folder while stopped)',
        ),
        exportFeatures: schedule(
          'off',
          'Parquet export of the previous UTC day’s feature windows to the object store (job export-features)',
        ),
      })
      .prefault({}),
  })
  .prefault({})
  .superRefine((etl, ctx) => {
    if (!isTimeZone(etl.timezone)) return;
    for (const [job, value] of Object.entries(etl.schedules)) {
      const problem = scheduleProblem(value, etl.timezone);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['schedules', job] });
    }
  });
