import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { openMigratedDatabase } from '../../app/modules.ts';
import {
  describeProblem,
  ImportFileError,
  type ImportProblem,
  type ParsedImport,
  parseAssetFile,
} from '../../etl/import-assets.ts';
import { type ImportStore, type WriteResult, writeAssets } from '../../etl/import-write.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Database } from '../../storage/ports/database.ts';
import { createPlace, getPlace, renamePlace } from '../../storage/postgres/catalog.ts';
import { getAsset, upsertAsset } from '../../storage/postgres/registry.ts';
import { type ConfigFlags, configFromFlags } from '../config.ts';
import { type JobFlags, jobAction, jobOptions, progressBar, runCliJob, UsageError } from './common.ts';

const JOB = 'import-assets';

/** The registry's SQL inside one transaction per batch, each asset under a savepoint. */
function importStore(db: Database): ImportStore {
  return {
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          getAsset: (id) => getAsset(tx, id),
          getPlace: (kind, id) => getPlace(tx, kind, id),
          createPlace: (kind, place) => createPlace(tx, kind, place),
          renamePlace: (kind, id, name) => renamePlace(tx, kind, id, name),
          upsertAsset: (asset) => upsertAsset(tx, asset),
          async isolated(write) {
            await tx.query('SAVEPOINT import_asset');
            try {
              const result = await write();
              await tx.query('RELEASE SAVEPOINT import_asset');
              return result;
            } catch (err) {
              await tx.query('ROLLBACK TO SAVEPOINT import_asset');
              throw err;
            }
          },
        }),
      ),
  };
}

export interface ImportSummary {
  file: string;
  format: ParsedImport['format'];
  dryRun: boolean;
  rows: { total: number; stored: number; unchanged: number; refused: number };
  assets: { created: number; updated: number; unchanged: number; refused: number };
  /** Assets not imported; null stands for rows that name no asset. */
  refusedAssets: (string | null)[];
  problems: ImportProblem[];
  batches: number;
  durationSeconds: number;
}

function summarize(
  file: string,
  parsed: ParsedImport,
  written: WriteResult,
  dryRun: boolean,
  seconds: number,
): ImportSummary {
  const refused = [...parsed.refused, ...written.refused];
  return {
    file,
    format: parsed.format,
    dryRun,
    rows: {
      total: parsed.rows,
      stored: written.rowsStored,
      unchanged: written.rowsUnchanged,
      refused: refused.reduce((n, r) => n + r.rows, 0),
    },
    assets: {
      created: written.created.length,
      updated: written.updated.length,
      unchanged: written.unchanged.length,
      refused: refused.filter((r) => r.assetId !== null).length,
    },
    refusedAssets: refused.map((r) => r.assetId),
    problems: [...parsed.problems, ...written.problems],
    batches: written.batches,
    durationSeconds: seconds,
  };
}

function printSummary(s: ImportSummary): void {
  const { rows, assets } = s;
  const would = s.dryRun ? 'dry run, nothing written: would have ' : '';
  const lines = [
    ...s.problems.map(describeProblem),
    ...s.refusedAssets.map((id) =>
      id === null ? 'rows naming no asset: not imported' : `asset ${id} not imported (see above)`,
    ),
    `${s.file}: ${rows.total} ${s.format === 'csv' ? 'rows' : 'items'}, ${s.problems.length} problem(s)`,
    `${would}created ${assets.created}, updated ${assets.updated}, left ${assets.unchanged} unchanged, ` +
      `refused ${assets.refused} asset(s) in ${s.batches} batch(es), ${s.durationSeconds.toFixed(2)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

type ImportFlags = ConfigFlags & JobFlags & { batchSize: string };

async function importAssets(file: string, flags: ImportFlags): Promise<number> {
  const batchSize = Number(flags.batchSize);
  if (!/^\d+$/.test(flags.batchSize) || !(batchSize >= 1 && batchSize <= 10_000)) {
    throw new UsageError(`--batch-size: expected a whole number from 1 to 10000, got "${flags.batchSize}"`);
  }
  const config = configFromFlags(flags);
  let content: Uint8Array;
  try {
    content = await readFile(file);
  } catch (err) {
    throw new UsageError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  const parsed = parseAssetFile(file, content);
  return runCliJob(JOB, flags, async (metrics: Metrics) => {
    const started = performance.now();
    const { db } = await openMigratedDatabase(config);
    let written: WriteResult;
    try {
      written = await writeAssets(importStore(db), parsed.items, {
        batchSize,
        dryRun: flags.dryRun === true,
        onProgress: progressBar('importing', 'assets'),
      });
    } finally {
      await db.close();
    }
    const seconds = Math.round(performance.now() - started) / 1000;
    const summary = summarize(file, parsed, written, flags.dryRun === true, seconds);
    for (const key of ['stored', 'unchanged', 'refused'] as const) {
      metrics.jobRows.inc({ etl_job: JOB, outcome: key }, summary.rows[key]);
    }
    if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else printSummary(summary);
    return summary.problems.length > 0 ? 2 : 0;
  });
}

/** `mantis etl import-assets`. */
export function importAssetsCommand(etl: Command, withConfig: (c: Command) => Command) {
  jobOptions(
    withConfig(etl.command(JOB))
      .description(
        'import sites, lines, assets and sensors (with machine models and bearings) from a CSV or JSON file',
      )
      .argument(
        '<file>',
        'a .csv file (one row per sensor) or a .json array of assets; see docs/operations.md',
      )
      .option('--batch-size <n>', 'assets per transaction', '100'),
    true,
  )
    .addHelpText(
      'after',
      '\nEvery bad row is reported with its line, column and reason; an asset with a bad row is not imported, ' +
        'the others are.\nExit code: 0 every row imported (or unchanged), 1 the database failed, ' +
        '2 some or all rows refused, or bad flags or file.',
    )
    .action(jobAction(JOB, importAssets, (err) => err instanceof ImportFileError));
}
