import type { Command } from 'commander';
import type { Config } from '../config/schema.ts';
import { ValidationError } from '../domain/errors.ts';
import {
  DEFAULT_LOOK_BACK_MINUTES,
  MAX_DAYS,
  MAX_LOOK_BACK_MINUTES,
  planV1,
  type SetupOptions,
} from '../storage/influxdb/setup.ts';
import { planV2 } from '../storage/influxdb/setup-v2.ts';
import { parseInfluxUrl } from '../storage/influxdb/url.ts';

/**
 * Sets InfluxDB up for the raw store (see planV1, planV2) and prints each step; with `dryRun`, prints what
 * would be done and changes nothing. Returns the number of steps (done or to do).
 */
export async function influxSetup(
  url: string,
  options: SetupOptions & { dryRun?: boolean },
  out: (line: string) => void,
): Promise<number> {
  const target = parseInfluxUrl(url);
  const plan = target.api === 'v1' ? await planV1(target, options) : await planV2(target, options);
  for (const line of plan.unchanged) out(`unchanged: ${line}`);
  for (const step of plan.steps) {
    out(`${options.dryRun ? 'would run' : 'run'}: ${step.description}`);
    if (!options.dryRun) await step.apply();
  }
  out(
    plan.steps.length === 0
      ? 'InfluxDB is set up; nothing to change'
      : `${plan.steps.length} change(s)${options.dryRun ? ' to make' : ' made'}`,
  );
  return plan.steps.length;
}

/** A flag's whole number in [min, max], written in plain digits (no `1e9`, no `0x10`). */
function whole(flag: string, value: string, min: number, max: number): number {
  const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new ValidationError(
      flag,
      `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  return n;
}

/** Bad flags or URL (ValidationError, or the URL's parse error): exit 2; the server refusing: exit 1. */
class UsageError extends Error {}

/** `mantis influx setup`, on the raw store URL of the configuration (or --url). */
export function influxCommands(
  program: Command,
  withConfig: (c: Command) => Command,
  load: (flags: never) => Config,
) {
  const influx = program.command('influx').description('InfluxDB raw store administration');
  withConfig(influx.command('setup'))
    .description(
      'create the database or buckets, retention and downsampling for the InfluxDB raw store (idempotent)',
    )
    .option('--url <url>', 'influxdb://… or influxdb2://… (default: rawStore.url of the configuration)')
    .option('--raw-days <days>', 'days raw points are kept (0: forever)', '30')
    .option('--long-term-days <days>', 'days the 1-minute aggregates are kept (0: forever)', '730')
    .option('--long-term <name>', 'long-term retention policy (v1) or bucket (v2)')
    .option(
      '--look-back-minutes <minutes>',
      'minutes of raw data each downsampling run aggregates again, for late points',
      String(DEFAULT_LOOK_BACK_MINUTES),
    )
    .option('--dry-run', 'print what would change, change nothing')
    .action(
      async (flags: {
        url?: string;
        rawDays: string;
        longTermDays: string;
        longTerm?: string;
        lookBackMinutes: string;
        dryRun?: boolean;
      }) => {
        try {
          await setupFromFlags(flags, load);
        } catch (err) {
          // One line, no stack: every failure here is the flags', the URL's or the server's answer.
          const usage = err instanceof UsageError || err instanceof ValidationError;
          process.stderr.write(`mantis influx setup: ${(err as Error).message.replace(/\s+/g, ' ')}\n`);
          process.exit(usage ? 2 : 1);
        }
      },
    );
}

async function setupFromFlags(
  flags: {
    url?: string;
    rawDays: string;
    longTermDays: string;
    longTerm?: string;
    lookBackMinutes: string;
    dryRun?: boolean;
  },
  load: (flags: never) => Config,
): Promise<void> {
  // Everything is checked before InfluxDB is asked anything.
  const options = {
    rawDays: whole('--raw-days', flags.rawDays, 0, MAX_DAYS),
    longTermDays: whole('--long-term-days', flags.longTermDays, 0, MAX_DAYS),
    lookBackMinutes: whole('--look-back-minutes', flags.lookBackMinutes, 1, MAX_LOOK_BACK_MINUTES),
    longTermName: flags.longTerm,
    dryRun: flags.dryRun,
  };
  let url: string;
  try {
    url = flags.url ?? load(flags as never).rawStore.url;
    if (!url.startsWith('influxdb'))
      throw new Error(`the raw store is ${url}, not InfluxDB (set MANTIS_RAW_STORE_URL or --url)`);
    parseInfluxUrl(url);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  await influxSetup(url, options, (line) => process.stdout.write(`${line}\n`));
}
