import type { Command } from 'commander';
import type { Config } from '../config/schema.ts';
import { planV1, type SetupOptions } from '../storage/influxdb/setup.ts';
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

function days(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${flag} must be a whole number of days ≥ 0, got "${value}"`);
  return n;
}

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
    .option('--dry-run', 'print what would change, change nothing')
    .action(
      async (flags: {
        url?: string;
        rawDays: string;
        longTermDays: string;
        longTerm?: string;
        dryRun?: boolean;
      }) => {
        const url = flags.url ?? load(flags as never).rawStore.url;
        if (!url.startsWith('influxdb')) {
          process.stderr.write(
            `mantis influx setup: the raw store is ${url}, not InfluxDB (set MANTIS_RAW_STORE_URL or --url)\n`,
          );
          process.exit(2);
        }
        await influxSetup(
          url,
          {
            rawDays: days('--raw-days', flags.rawDays),
            longTermDays: days('--long-term-days', flags.longTermDays),
            longTermName: flags.longTerm,
            dryRun: flags.dryRun,
          },
          (line) => process.stdout.write(`${line}\n`),
        );
      },
    );
}
