import type { Command } from 'commander';
import { openMigratedDatabase } from '../../app/modules.ts';
import { version } from '../../app/version.ts';
import { databaseUrl, redactUrl } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import {
  DEFAULT_PREFIX,
  datasetPrefix,
  type ExportDataset,
  ExportFlagError,
  FEATURE_RESOLUTIONS,
  type FeatureResolution,
  parsePrefix,
  parseRange,
  parseResolution,
  planPartitions,
} from '../../etl/export-plan.ts';
import {
  type ExportResult,
  type ExportSource,
  exportPartitions,
  PAGE_ROWS,
  ROW_GROUP_ROWS,
} from '../../etl/export-run.ts';
import { exportAssets, featureSource, readingSource } from '../../etl/export-sources.ts';
import { adapterFor } from '../../storage/adapters.ts';
import { objectStoreUrl } from '../../storage/object-stores.ts';
import type { ObjectStore } from '../../storage/ports/object-store.ts';
import type { RawStore } from '../../storage/ports/raw-store.ts';
import { postgresRepositories } from '../../storage/postgres/repositories.ts';
import { type ConfigFlags, configFromFlags } from '../config.ts';
import { type JobFlags, jobAction, jobOptions, progressBar, runCliJob } from './common.ts';
import { runLockedUnlessDry } from './lock.ts';

type ExportFlags = ConfigFlags &
  JobFlags & { from: string; to: string; asset?: string; resolution?: string; prefix: string };

export interface ExportSummary {
  dataset: ExportDataset;
  resolution?: FeatureResolution;
  from: string;
  to: string;
  asset: string | null;
  objectStore: string;
  /** The folder the files are under, in the object store. */
  prefix: string;
  dryRun: boolean;
  /** Day × asset partitions planned; those without rows write no file. */
  partitions: number;
  files: ExportResult['files'];
  rows: number;
  bytes: number;
  durationSeconds: number;
}

/** The configured object store, probed: an unreachable store fails the run before any row is read. */
async function openObjectStore(config: Config): Promise<ObjectStore> {
  const url = objectStoreUrl(config);
  const store = await adapterFor('objectStore', url).create(url, {});
  try {
    await store.probe(AbortSignal.timeout(30_000));
  } catch (err) {
    await store.close();
    throw new Error(`object store ${redactUrl(url)} cannot be used: ${(err as Error).message}`);
  }
  return store;
}

function printSummary(s: ExportSummary): void {
  const mib = (s.bytes / 2 ** 20).toFixed(2);
  const what = `${s.files.length} file(s), ${s.rows} rows`;
  const where = `${s.objectStore} under ${s.prefix}/`;
  const line = s.dryRun
    ? `dry run, nothing written: would export ${what} to ${where}`
    : `exported ${what}, ${mib} MiB to ${where}`;
  const empty = s.partitions - s.files.length;
  process.stdout.write(
    `${line} in ${s.durationSeconds.toFixed(2)} s (${s.partitions} day × asset partition(s), ${empty} without rows)\n`,
  );
}

/** Runs one export job: plan from the flags, read through the ports, write (or count) partition by partition. */
function exportJob(dataset: ExportDataset) {
  const job = `export-${dataset}`;
  return async (flags: ExportFlags): Promise<number> => {
    const { from, to } = parseRange(flags.from, flags.to);
    const resolution = dataset === 'features' ? parseResolution(flags.resolution ?? 'window') : undefined;
    const prefix = parsePrefix(flags.prefix);
    const dryRun = flags.dryRun === true;
    const config = configFromFlags(flags);
    return runCliJob(job, flags, async (metrics) => {
      const started = performance.now();
      const { db } = await openMigratedDatabase(config);
      let raw: RawStore | undefined;
      let store: ObjectStore | null = null;
      try {
        const repositories = postgresRepositories(db);
        const assets = await exportAssets(repositories, flags.asset);
        store = dryRun ? null : await openObjectStore(config);
        let source: ExportSource<unknown>;
        if (dataset === 'features')
          source = featureSource(repositories.features, resolution ?? 'window') as ExportSource<unknown>;
        else {
          raw = await adapterFor('rawStore', config.rawStore.url).create(config.rawStore.url, { db });
          source = readingSource(raw) as ExportSource<unknown>;
        }
        const folder = datasetPrefix(prefix, dataset, resolution);
        const partitions = planPartitions(
          folder,
          from,
          to,
          assets.map((a) => a.id),
        );
        const result = await runLockedUnlessDry(db, databaseUrl(config), job, dryRun, () =>
          exportPartitions(source, {
            store,
            partitions,
            assets: new Map(assets.map((a) => [a.id, a])),
            pageRows: PAGE_ROWS,
            rowGroupRows: ROW_GROUP_ROWS,
            version,
            onProgress: progressBar(dryRun ? 'counting' : 'exporting', 'partitions'),
          }),
        );
        metrics.jobRows.inc({ etl_job: job, outcome: 'exported' }, result.rows);
        const summary: ExportSummary = {
          dataset,
          ...(resolution && { resolution }),
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          asset: flags.asset ?? null,
          objectStore: redactUrl(objectStoreUrl(config)),
          prefix: folder,
          dryRun,
          partitions: partitions.length,
          ...result,
          durationSeconds: Math.round(performance.now() - started) / 1000,
        };
        if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else printSummary(summary);
        return 0;
      } finally {
        await store?.close();
        await raw?.close();
        await db.close();
      }
    });
  };
}

const TIME_HELP = 'ISO 8601 time with its zone (2026-11-30T06:00:00Z), a date (midnight UTC) or epoch ms';

function exportCommand(etl: Command, withConfig: (c: Command) => Command, dataset: ExportDataset): Command {
  const job = `export-${dataset}`;
  const command = withConfig(etl.command(job))
    .requiredOption('--from <time>', `start of the range, inclusive: ${TIME_HELP}`)
    .requiredOption('--to <time>', 'end of the range, exclusive: same forms as --from')
    .option('--asset <id>', 'only this asset (default: every asset with sensors)')
    .option('--prefix <prefix>', 'folder of the object store the files go under', DEFAULT_PREFIX);
  if (dataset === 'features')
    command.option(
      '--resolution <r>',
      `window (stored windows) or a roll-up: ${FEATURE_RESOLUTIONS.join(', ')}`,
      'window',
    );
  const layout =
    dataset === 'features'
      ? '<prefix>/features/resolution=<r>/date=<YYYY-MM-DD>/asset=<id>/part-0.parquet'
      : '<prefix>/readings/date=<YYYY-MM-DD>/asset=<id>/part-0.parquet';
  return jobOptions(command, true)
    .addHelpText(
      'after',
      `\nWrites one Parquet file per UTC day and asset to the object store (objectStore.url):\n  ${layout}\n` +
        'Running it again over the same range replaces the same files; days without rows write nothing.\n' +
        'Exit code: 0 done, 1 the database or object store failed, 2 bad flags or an unknown asset.',
    )
    .action(jobAction(job, exportJob(dataset), (err) => err instanceof ExportFlagError));
}

/** `mantis etl export-features` and `mantis etl export-readings`. */
export function exportCommands(etl: Command, withConfig: (c: Command) => Command): void {
  exportCommand(etl, withConfig, 'features').description(
    'export stored windows or roll-ups to Parquet files in the object store, one per UTC day and asset',
  );
  exportCommand(etl, withConfig, 'readings').description(
    'export raw scalar readings to Parquet files in the object store, one per UTC day and asset',
  );
}
