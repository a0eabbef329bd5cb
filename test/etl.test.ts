import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { kpiRollupsJob } from '../src/etl/batch.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { postgresRepositories } from '../src/storage/postgres/repositories.ts';
import { client, startApp } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

const DAY = 86_400_000;

describe.each(engines)('the daily KPI roll-up job, on $name', (engine) => {
  let app: MantisApp;
  let stop: () => Promise<void>;
  let db: Database;

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    db = app.services.db as Database;
    const api = client(app);
    for (const id of ['press-1', 'press-2']) {
      const put = await api.request('PUT', `/v1/assets/${id}`, {
        siteId: 'works',
        lineId: 'presses',
        name: id,
        kind: 'press',
        idealCycleSeconds: 30,
        sensors: [],
      });
      expect(put.status).toBeLessThan(300);
    }
    const today = Math.floor(Date.now() / DAY) * DAY;
    const downtime = await api.request('POST', '/v1/downtime', {
      assetId: 'press-1',
      kind: 'unplanned',
      reason: 'jam',
      start: today - 3 * DAY + 3_600_000,
      end: today - 3 * DAY + 2 * 3_600_000,
    });
    expect(downtime.status).toBe(201);
  });

  afterAll(async () => {
    await stop?.();
  });

  it('stores the roll-ups missing over the last days that are over, once, for every active asset', async () => {
    await db.query('DELETE FROM kpi_daily');
    const job = kpiRollupsJob(postgresRepositories(db).kpis, 7);
    expect(await job.run(Date.now())).toBe('stored 14 daily KPI roll-ups');
    expect(await job.run(Date.now())).toBeUndefined();
    const rows = await db.query<{ asset_id: string; unplanned_downtime_ms: number; failures: number }>(
      `SELECT asset_id, unplanned_downtime_ms::float8 AS unplanned_downtime_ms, failures FROM kpi_daily
       WHERE failures > 0`,
    );
    expect(rows).toEqual([{ asset_id: 'press-1', unplanned_downtime_ms: 3_600_000, failures: 1 }]);
  });
});

describe('the etl target', () => {
  it('runs its jobs at start (those that wait for their time say so) and reports them on /health/ready and /metrics', async () => {
    const etl = await startApp({}, 'etl');
    // The embedded database is not backed up by the job, and the feature export is off unless scheduled.
    const EXPECTED = 'retention success, kpi-rollup success, data-quality waiting';
    try {
      let detail = '';
      for (let i = 0; i < 100 && detail !== EXPECTED; i++) {
        detail = (await (await fetch(`${etl.url}/health/ready`)).json()).checks.etl.detail;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(detail).toBe(EXPECTED);
      const text = await (await fetch(`${etl.url}/metrics`)).text();
      for (const job of ['retention', 'kpi-rollup'])
        expect(text).toMatch(
          new RegExp(`^mantis_job_runs_total\\{etl_job="${job}",outcome="success"\\} 1$`, 'm'),
        );
      expect(text).toMatch(/^mantis_job_duration_seconds_count\{etl_job="kpi-rollup"\} 1$/m);
      expect(text).toMatch(
        /^mantis_job_last_run_timestamp_seconds\{etl_job="retention",outcome="success"\} \d/m,
      );
      expect(text).toMatch(/^mantis_job_next_run_timestamp_seconds\{etl_job="data-quality"\} \d/m);
      expect(text).not.toMatch(/etl_job="backup"/);
    } finally {
      await etl.stop();
    }
  });
});
