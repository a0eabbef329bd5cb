import type { Command } from 'commander';
import { openMigratedDatabase } from '../app/modules.ts';
import type { Config } from '../config/schema.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { parseTimestamp } from '../domain/timestamps.ts';
import { readModelFile } from '../ml/model-file.ts';
import { MODEL_FILE, modelNameOf } from '../ml/naming.ts';
import { trackingFor, trackingUrl } from '../ml/tracking/index.ts';
import { evaluationTable } from '../ml/training-evaluation.ts';
import { runTraining, type TrainingProgress, type TrainingSummary } from '../ml/training-run.ts';
import { postgresRepositories } from '../storage/postgres/repositories.ts';
import { type ConfigFlags, configFromFlags } from './config.ts';

/** Bad flags: exit 2. A server refusing or unreachable: exit 1. */
class UsageError extends Error {}

const DAY_MS = 86_400_000;

/**
 * An instant flag: an ISO 8601 date-time with a zone, as the API takes it (parseTimestamp: impossible dates and
 * missing zones refused), a day `YYYY-MM-DD` (its UTC midnight), or a duration before now (`30d`, `12h`, `90m`).
 */
export function instantFlag(flag: string, value: string, now: number): number {
  const ago = /^(\d{1,6})([dhm])$/.exec(value);
  if (ago) return now - Number(ago[1]) * { d: DAY_MS, h: 3_600_000, m: 60_000 }[ago[2] as 'd' | 'h' | 'm'];
  const t = parseTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (typeof t === 'string') {
    throw new UsageError(
      `${flag}: expected an ISO 8601 date-time with a zone, a day (YYYY-MM-DD, UTC) or a duration before now (30d, 12h, 90m); "${value}" ${t}`,
    );
  }
  return t;
}

function fail(command: string, err: unknown): never {
  const usage = err instanceof UsageError || err instanceof ValidationError;
  const message = err instanceof ValidationError ? `${err.field}: ${err.reason}` : (err as Error).message;
  process.stderr.write(`mantis ml ${command}: ${message.replace(/\s+/g, ' ')}\n`);
  process.exit(usage ? 2 : 1);
}

/** One line per step on a terminal (stderr), nothing when piped. */
function progressLine(p: TrainingProgress): void {
  if (!process.stderr.isTTY) return;
  const text =
    p.step === 'read'
      ? `reading windows: asset ${p.index}/${p.assets} (${p.asset}), ${p.windows} windows`
      : p.step === 'train'
        ? `training on ${p.windows} windows of ${p.series} series`
        : p.step === 'log'
          ? 'logging the run'
          : 'registering the model version';
  process.stderr.write(`\r\x1b[2K${text}${p.step === 'register' ? '\n' : ''}`);
}

function printSummary(s: TrainingSummary): void {
  const at = (t: number) => new Date(t).toISOString().slice(0, 16);
  const lines = [
    `read ${s.windows} windows of ${s.series} series of ${s.assets.length} ${s.assetType} asset(s) (${s.assets.join(', ')}), ${at(s.from)} – ${at(s.to)}`,
    `${s.dryRun ? 'dry run: would train' : 'trained'} ${s.modelName} on ${s.metrics.windows} windows of ${s.metrics.series} vibration series (the others are scored by the baseline; windows under ${s.alertedWindowsLeftOut} alert(s) and maintenance labels left out)`,
    `maintenance labels: ${s.labels}`,
    ...s.warnings.map((w) => `warning: ${w}`),
    ...Object.entries(s.metrics).map(([k, v]) => `  ${k}: ${Number((v as number).toPrecision(4))}`),
  ];
  lines.push('', evaluationTable(s.evaluation));
  if (s.run) lines.push(`run ${s.run.runId} in ${s.tracking}`);
  if (s.version) {
    lines.push(
      `registered ${s.version.name} version ${s.version.version}`,
      `serve it: mantis ml promote ${s.assetType} ${s.version.version}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `mantis ml train`, `mantis ml promote`, `mantis ml demote`, `mantis ml models`. */
export function mlCommands(program: Command, withConfig: (c: Command) => Command) {
  const ml = program.command('ml').description('learned health models: train, register, promote');

  withConfig(ml.command('train'))
    .description(
      'train the health model of an asset type on its stored windows, log the run, register a version',
    )
    .requiredOption('--asset-type <type>', 'asset kind (pump, fan…): every active asset of it')
    .option('--from <time>', 'first window start: ISO 8601 or a duration before now', '30d')
    .option('--to <time>', 'end of the range (exclusive): ISO 8601 or a duration before now (default: now)')
    .option('--dry-run', 'read and train, print the summary; log and register nothing')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExit code: 0 trained, 1 the database or tracking server failed, 2 bad flags or too little data.',
    )
    .action(
      async (
        flags: ConfigFlags & {
          assetType: string;
          from: string;
          to?: string;
          dryRun?: boolean;
          json?: boolean;
        },
      ) => {
        try {
          const config = configFromFlags(flags);
          const now = Date.now();
          const from = instantFlag('--from', flags.from, now);
          const to = flags.to ? instantFlag('--to', flags.to, now) : now;
          if (!(from < to)) throw new UsageError(`--from must be before --to`);
          modelNameOf(config.ml.modelPrefix, flags.assetType, '--asset-type');
          const summary = await withTraining(config, (deps) =>
            runTraining(
              deps,
              {
                assetType: flags.assetType,
                from,
                to,
                dryRun: flags.dryRun === true,
                experiment: config.ml.experiment,
                modelPrefix: config.ml.modelPrefix,
                scoring: { ...config.scoring, bandEdgesHz: config.pipeline.bandEdgesHz },
                labelHorizonMs: config.ml.labelHorizonHours * 3_600_000,
              },
              progressLine,
            ),
          );
          if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
          else printSummary(summary);
        } catch (err) {
          fail('train', err);
        }
      },
    );

  withConfig(ml.command('promote'))
    .description(
      'point the champion alias of an asset type at a model version; the processor serves it within ml.pollSeconds',
    )
    .argument('<asset-type>', 'asset kind whose model to promote (pump, fan…)')
    .argument('<version>', 'registered version number (mantis ml models)')
    .option('--alias <alias>', 'alias to move (default: ml.championAlias)')
    .action(async (assetType: string, version: string, flags: ConfigFlags & { alias?: string }) => {
      try {
        const config = configFromFlags(flags);
        if (!/^[1-9]\d{0,9}$/.test(version)) {
          throw new UsageError(`<version>: expected a version number (1, 2, …), got "${version}"`);
        }
        const name = modelNameOf(config.ml.modelPrefix, assetType, '<asset-type>');
        const alias = flags.alias ?? config.ml.championAlias;
        const tracking = trackingFor(trackingUrl(config));
        try {
          // The model file is read and checked first: a version the processors would refuse is not promoted.
          const target = (await tracking.listVersions(name)).find((v) => v.version === version);
          if (!target) throw new UsageError(`${name} has no version ${version} (mantis ml models)`);
          try {
            await readModelFile(tracking, target.runId, assetType);
          } catch (err) {
            if (
              !(err instanceof ValidationError || err instanceof SyntaxError || err instanceof NotFoundError)
            )
              throw err;
            const reason = err instanceof ValidationError ? `${err.field}: ${err.reason}` : err.message;
            throw new UsageError(
              `${name} version ${version}: its ${MODEL_FILE} cannot be served (${reason})`,
            );
          }
          const before = await tracking.versionByAlias(name, alias);
          await tracking.setAlias(name, alias, version);
          const was = before ? ` (was version ${before.version})` : '';
          process.stdout.write(`${alias} of ${name} is version ${version}${was}\n`);
        } finally {
          await tracking.close();
        }
      } catch (err) {
        fail('promote', err instanceof NotFoundError ? new UsageError(err.message) : err);
      }
    });

  withConfig(ml.command('demote'))
    .description(
      'remove the champion alias of an asset type: its windows go back to the baseline scorer within ml.pollSeconds',
    )
    .argument('<asset-type>', 'asset kind whose champion to remove')
    .option('--alias <alias>', 'alias to remove (default: ml.championAlias)')
    .action(async (assetType: string, flags: ConfigFlags & { alias?: string }) => {
      try {
        const config = configFromFlags(flags);
        const name = modelNameOf(config.ml.modelPrefix, assetType, '<asset-type>');
        const alias = flags.alias ?? config.ml.championAlias;
        const tracking = trackingFor(trackingUrl(config));
        try {
          const before = await tracking.versionByAlias(name, alias);
          if (!before || !(await tracking.removeAlias(name, alias))) {
            throw new UsageError(`${name} has no ${alias} alias`);
          }
          process.stdout.write(
            `${alias} of ${name} removed (was version ${before.version}); baseline scoring\n`,
          );
        } finally {
          await tracking.close();
        }
      } catch (err) {
        fail('demote', err);
      }
    });

  withConfig(ml.command('models'))
    .description('list the registered versions of each asset type’s model and their aliases')
    .option('--asset-type <type>', 'one asset kind (default: every kind in the registry)')
    .option('--json', 'print JSON')
    .action(async (flags: ConfigFlags & { assetType?: string; json?: boolean }) => {
      try {
        const config = configFromFlags(flags);
        const registered = await withTraining(config, async (deps) => new Set((await deps.types()).values()));
        const types = flags.assetType ? [flags.assetType] : [...registered];
        const tracking = trackingFor(trackingUrl(config));
        try {
          const out: {
            assetType: string;
            model: string;
            versions: Awaited<ReturnType<typeof tracking.listVersions>>;
          }[] = [];
          for (const type of types.sort()) {
            const name = modelNameOf(config.ml.modelPrefix, type, '--asset-type');
            const versions = await tracking.listVersions(name);
            if (versions.length === 0 && !registered.has(type)) {
              throw new UsageError(
                `--asset-type: no asset of type ${type} in the registry and no model ${name}`,
              );
            }
            out.push({ assetType: type, model: name, versions });
          }
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
            return;
          }
          for (const m of out) {
            process.stdout.write(`${m.model}${m.versions.length === 0 ? ': no version' : ''}\n`);
            for (const v of m.versions) {
              const aliases = v.aliases.length > 0 ? `  [${v.aliases.join(', ')}]` : '';
              process.stdout.write(
                `  version ${v.version}  ${new Date(v.createdAt).toISOString().slice(0, 16)}  run ${v.runId}${aliases}\n`,
              );
            }
          }
        } finally {
          await tracking.close();
        }
      } catch (err) {
        fail('models', err);
      }
    });
}

/** The configured database (migrated) and tracking, as training reads them; both closed after. */
async function withTraining<T>(
  config: Config,
  fn: (deps: Parameters<typeof runTraining>[0] & { types: () => Promise<Map<string, string>> }) => Promise<T>,
): Promise<T> {
  const { db } = await openMigratedDatabase(config);
  const tracking = trackingFor(trackingUrl(config));
  try {
    const repositories = postgresRepositories(db);
    return await fn({
      registry: repositories.registry,
      features: repositories.features,
      findings: (from, to) => repositories.workOrders.closedFindings(from, to),
      alerts: repositories.alerts,
      tracking,
      types: () => repositories.registry.assetTypes(),
    });
  } finally {
    await tracking.close();
    await db.close();
  }
}
