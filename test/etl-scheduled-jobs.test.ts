/**
 * The etl target's scheduled backup, data-quality and feature-export jobs against a real PostgreSQL and a
 * file:// object store: each runs at its cron times, the backup keeps etl.backupKeep complete backups, and
 * the age of the newest backup is read back from the store by a restarted target.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { listBackups } from '../src/etl/backup/backup.ts';
import { createObjectStore } from '../src/storage/object-stores.ts';
import type { ObjectStore } from '../src/storage/ports/object-store.ts';
import { startApp } from './helpers/app.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { waitFor } from './helpers/mqtt.ts';
import { queryRows } from './helpers/pg-fingerprint.ts';

const pgReady = await postgresAvailable();

/** The value of one sample of the target's /metrics, or undefined. */
async function sample(app: MantisApp, line: string): Promise<number | undefined> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe.runIf(pgReady.available)('the etl target’s scheduled backup, data quality and export', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;
  const objects = `file://${join(mkdtempSync(join(tmpdir(), 'mantis-scheduled-')), 'objects')}`;
  const settings = () => ({
    'database.url': database.url,
    'objectStore.url': objects,
    'etl.backupKeep': 2,
    'ingest.token': 'test-token-0123456789abcdef',
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    store = createObjectStore(objects);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('backs up every scheduled time, keeping the newest two, and writes the quality gauges and the export', async () => {
    const app = await startApp(
      {
        ...settings(),
        'etl.schedules.backup': '*/2 * * * * *',
        'etl.schedules.dataQuality': '* * * * * *',
        'etl.schedules.exportFeatures': '* * * * * *',
      },
      'etl',
    );
    try {
      const complete = async () => (await listBackups(store, 'backups/postgres')).filter((b) => b.complete);
      // Three backups at least, so that --keep 2 has removed one.
      await waitFor(
        'three scheduled backups',
        async () =>
          (
            await queryRows<{ n: number }>(
              database.url,
              "SELECT count(*)::int AS n FROM job_runs WHERE job = 'backup' AND outcome = 'success'",
            )
          )[0].n >= 3,
        60_000,
      );
      const kept = await complete();
      expect(kept.length).toBe(2);
      const newest = kept[1];
      await waitFor(
        'the backup age gauge',
        async () =>
          (await sample(app, 'mantis_backup_last_success_timestamp_seconds{prefix="backups/postgres"}')) !==
          undefined,
      );
      // The gauge is the start of a complete backup kept in the store (a newer one may have landed since).
      const gauge = (await sample(
        app,
        'mantis_backup_last_success_timestamp_seconds{prefix="backups/postgres"}',
      )) as number;
      expect(gauge * 1000).toBeGreaterThanOrEqual(newest.at.getTime());
      const runs = await queryRows<{ trigger: string; outcome: string }>(
        database.url,
        "SELECT DISTINCT trigger, outcome FROM job_runs WHERE job = 'backup' AND outcome <> 'running'",
      );
      expect(runs).toEqual([{ trigger: 'schedule', outcome: 'success' }]);
      // Data quality over the last hour: no sensor yet, but the range it audited is published.
      await waitFor(
        'the data-quality gauge',
        async () => ((await sample(app, 'mantis_data_quality_range_end_timestamp_seconds')) ?? 0) > 0,
      );
      expect(await sample(app, 'mantis_job_runs_total{etl_job="export-features",outcome="failure"}')).toBe(0);
      await waitFor(
        'a feature export run',
        async () =>
          ((await sample(app, 'mantis_job_runs_total{etl_job="export-features",outcome="success"}')) ?? 0) >
          0,
      );
    } finally {
      await app.stop();
    }
  }, 120_000);

  it('reads the newest complete backup from the store at start, before any backup of its own', async () => {
    const newest = (await listBackups(store, 'backups/postgres')).filter((b) => b.complete).at(-1);
    expect(newest).toBeDefined();
    const app = await startApp({ ...settings(), 'etl.schedules.backup': '0 3 1 1 *' }, 'etl');
    try {
      await waitFor(
        'the backup age gauge',
        async () =>
          (await sample(app, 'mantis_backup_last_success_timestamp_seconds{prefix="backups/postgres"}')) !==
          undefined,
      );
      expect(
        await sample(app, 'mantis_backup_last_success_timestamp_seconds{prefix="backups/postgres"}'),
      ).toBe((newest?.at.getTime() ?? 0) / 1000);
      expect(await sample(app, 'mantis_job_runs_total{etl_job="backup",outcome="success"}')).toBe(0);
    } finally {
      await app.stop();
    }
  }, 60_000);
});
