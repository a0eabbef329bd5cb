import type { Config } from '../config/schema.ts';
import { defaultThresholds } from '../domain/data-quality.ts';
import { backupDatabase, listBackups } from '../etl/backup/backup.ts';
import { DEFAULT_PREFIX as BACKUP_PREFIX } from '../etl/backup/manifest.ts';
import { auditRange } from '../etl/data-quality.ts';
import { recordQuality } from '../etl/data-quality-metrics.ts';
import { datasetPrefix, DEFAULT_PREFIX as EXPORT_PREFIX, planPartitions } from '../etl/export-plan.ts';
import { type ExportSource, exportPartitions, PAGE_ROWS, ROW_GROUP_ROWS } from '../etl/export-run.ts';
import { exportAssets, featureSource } from '../etl/export-sources.ts';
import type { Job } from '../etl/jobs.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createObjectStore, objectStoreUrl } from '../storage/object-stores.ts';
import type { Database } from '../storage/ports/database.ts';
import type { ObjectStore } from '../storage/ports/object-store.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import type { Repositories } from '../storage/ports/repositories.ts';
import { postgresWindowLedger } from '../storage/postgres/window-ledger.ts';
import { version } from './version.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The configured object store, for one run. */
async function withObjectStore<T>(config: Config, use: (store: ObjectStore) => Promise<T>): Promise<T> {
  const store = createObjectStore(objectStoreUrl(config));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/**
 * Sets mantis_backup_last_success_timestamp_seconds from the newest complete backup in the store (none:
 * left unset, so that an alert on its age needs a first backup). Throws the store's errors.
 */
export async function refreshLastBackup(config: Config, metrics: Metrics): Promise<void> {
  await withObjectStore(config, async (store) => {
    const newest = (await listBackups(store, BACKUP_PREFIX)).filter((b) => b.complete).at(-1);
    if (newest) metrics.backupLastSuccess.set({ prefix: BACKUP_PREFIX }, newest.at.getTime() / 1000);
  });
}

/**
 * `mantis etl backup` on its schedule: the server database into the object store, keeping
 * etl.backupKeep complete backups. An InfluxDB raw store is left to its own backup (docs/operations.md).
 */
export const backupJob = (config: Config, databaseUrl: string, metrics: Metrics): Job => ({
  name: 'backup',
  async run() {
    return withObjectStore(config, async (store) => {
      const result = await backupDatabase({
        databaseUrl,
        store,
        prefix: BACKUP_PREFIX,
        keep: config.etl.backupKeep,
        dryRun: false,
      });
      const size = result.manifest?.dump.size ?? 0;
      metrics.backupSize.set({ part: 'postgres' }, size);
      if (result.manifest)
        metrics.backupLastSuccess.set(
          { prefix: BACKUP_PREFIX },
          new Date(result.manifest.startedAt).getTime() / 1000,
        );
      const pruned = result.pruned.length > 0 ? `, removed ${result.pruned.length} older` : '';
      return `stored backup ${BACKUP_PREFIX}/${result.id} (${size} bytes${pruned})`;
    });
  },
});

export interface QualityJobDeps {
  config: Config;
  database: Database;
  repositories: Repositories;
  raw: RawStore;
  metrics: Metrics;
}

/**
 * `mantis etl data-quality` on its schedule, over the last hour up to now with the default thresholds: the
 * per-asset gauges (mantis_data_quality_*) that the Application dashboard shows.
 */
export const dataQualityJob = ({ config, database, repositories, raw, metrics }: QualityJobDeps): Job => ({
  name: 'data-quality',
  async run(now) {
    const report = await auditRange(
      { sensors: () => repositories.registry.sensors(), raw, ledger: postgresWindowLedger(database) },
      {
        from: now - HOUR,
        to: now,
        now,
        windowMs: config.pipeline.windowSeconds * 1000,
        latenessMs: config.pipeline.allowedLatenessSeconds * 1000,
        thresholds: defaultThresholds,
      },
    );
    recordQuality(metrics, report, now);
    const { sensors, sensorsWithIssues } = report.totals;
    return sensorsWithIssues > 0
      ? `data quality: ${sensorsWithIssues} of ${sensors} sensors with issues`
      : undefined;
  },
});

/**
 * `mantis etl export-features` on its schedule: the stored windows of the previous UTC day to Parquet in the
 * object store (re-running a day rewrites the same files).
 */
export const exportFeaturesJob = (config: Config, repositories: Repositories, metrics: Metrics): Job => ({
  name: 'export-features',
  async run(now) {
    const to = now - (now % DAY);
    return withObjectStore(config, async (store) => {
      const assets = await exportAssets(repositories);
      const result = await exportPartitions(
        featureSource(repositories.features, 'window') as ExportSource<unknown>,
        {
          store,
          partitions: planPartitions(
            datasetPrefix(EXPORT_PREFIX, 'features', 'window'),
            to - DAY,
            to,
            assets.map((a) => a.id),
          ),
          assets: new Map(assets.map((a) => [a.id, a])),
          pageRows: PAGE_ROWS,
          rowGroupRows: ROW_GROUP_ROWS,
          version,
        },
      );
      metrics.jobRows.inc({ etl_job: 'export-features', outcome: 'exported' }, result.rows);
      return `exported ${result.files.length} file(s), ${result.rows} rows of ${new Date(to - DAY).toISOString().slice(0, 10)}`;
    });
  },
});
