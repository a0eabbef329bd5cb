import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshBusinessMetrics } from '../src/api/business-metrics.ts';
import type { MantisApp } from '../src/app/app.ts';
import { postgresRepositories } from '../src/storage/postgres/repositories.ts';
import { type Client, client, startApp } from './helpers/app.ts';

const H = 3_600_000;

/** Back-dates an asset's registration, so that the whole last 24 hours are in its service period. */
async function registeredDaysAgo(app: MantisApp, assetId: string, days: number, now: number) {
  await (app.services.db as NonNullable<typeof app.services.db>).query(
    'UPDATE assets SET created_at = to_timestamp($1 / 1000.0) WHERE id = $2',
    [now - days * 24 * H, assetId],
  );
}

describe('business metrics for Prometheus', () => {
  let app: MantisApp;
  let api: Client;
  const now = Date.now();

  beforeAll(async () => {
    app = await startApp();
    api = client(app);
    await api.request('PUT', '/v1/assets/mill-1', {
      siteId: 'mill',
      lineId: 'mill-line',
      name: 'Mill 1',
      kind: 'mill',
      idealCycleSeconds: 60,
      sensors: [],
    });
    await registeredDaysAgo(app, 'mill-1', 2, now);
    await api.request('POST', '/v1/downtime', {
      assetId: 'mill-1',
      kind: 'unplanned',
      reason: 'jam',
      start: now - 5 * H,
      end: now - 4 * H,
    });
    await api.request('POST', '/v1/production', [
      { assetId: 'mill-1', ts: now - 2 * H, produced: 100, good: 90 },
    ]);
    for (const priority of ['high', 'urgent', 'urgent']) {
      await api.request('POST', '/v1/work-orders', {
        assetId: 'mill-1',
        title: 'x',
        priority,
        cause: `c-${Math.random()}`.replace('.', ''),
      });
    }
  });

  afterAll(async () => {
    await app?.stop();
  });

  const scrape = async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    return (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
  };

  it('exports open work orders by priority and the last 24 hours of KPIs per site', async () => {
    await refreshBusinessMetrics(
      postgresRepositories(app.services.db as NonNullable<typeof app.services.db>),
      app.services.metrics,
      now,
    );
    const value = await scrape();
    expect(value('mantis_work_orders_open{priority="low"}')).toBe(0);
    expect(value('mantis_work_orders_open{priority="high"}')).toBe(1);
    expect(value('mantis_work_orders_open{priority="urgent"}')).toBe(2);
    // One 1 h failure in 24 h: APT 23 h, MTBF 23 h, MTTR 1 h; 100 items of 60 s, 90 good.
    expect(value('mantis_kpi_mtbf_seconds{site="mill"}')).toBe(23 * 3600);
    expect(value('mantis_kpi_mttr_seconds{site="mill"}')).toBe(3600);
    expect(value('mantis_kpi_ratio{site="mill",kpi="availability"}')).toBeCloseTo(23 / 24, 9);
    expect(value('mantis_kpi_ratio{site="mill",kpi="performance"}')).toBeCloseTo(6000 / (23 * 3600), 9);
    expect(value('mantis_kpi_ratio{site="mill",kpi="quality"}')).toBeCloseTo(0.9, 9);
    expect(value('mantis_kpi_ratio{site="mill",kpi="oee"}')).toBeCloseTo(
      (23 / 24) * (6000 / (23 * 3600)) * 0.9,
      9,
    );
  });

  it('counts a site of assets registered within the last 24 hours from their registration', async () => {
    await api.request('PUT', '/v1/assets/new-1', {
      siteId: 'new',
      lineId: 'new-line',
      name: 'New',
      kind: 'x',
      sensors: [],
    });
    await registeredDaysAgo(app, 'new-1', 0.25, now);
    await api.request('POST', '/v1/downtime', {
      assetId: 'new-1',
      kind: 'unplanned',
      reason: 'jam',
      start: now - 2 * H,
      end: now - 1 * H,
    });
    await refreshBusinessMetrics(
      postgresRepositories(app.services.db as NonNullable<typeof app.services.db>),
      app.services.metrics,
      now,
    );
    const value = await scrape();
    // In service for the last 6 h, one 1 h failure: APT 5 h, availability 5/6 (not 23/24).
    expect(value('mantis_kpi_mtbf_seconds{site="new"}')).toBe(5 * 3600);
    expect(value('mantis_kpi_ratio{site="new",kpi="availability"}')).toBeCloseTo(5 / 6, 9);
  });

  it('leaves a KPI without a value absent rather than 0', async () => {
    await api.request('PUT', '/v1/assets/idle-1', {
      siteId: 'idle',
      lineId: 'idle-line',
      name: 'Idle',
      kind: 'x',
      sensors: [],
    });
    await registeredDaysAgo(app, 'idle-1', 2, now);
    await refreshBusinessMetrics(
      postgresRepositories(app.services.db as NonNullable<typeof app.services.db>),
      app.services.metrics,
      now,
    );
    const value = await scrape();
    expect(value('mantis_kpi_mtbf_seconds{site="idle"}')).toBeUndefined();
    expect(value('mantis_kpi_ratio{site="idle",kpi="quality"}')).toBeUndefined();
    expect(value('mantis_kpi_ratio{site="idle",kpi="availability"}')).toBe(1);
  });

  it('names each active asset with its site and line, and the running version and target', async () => {
    const value = await scrape();
    expect(value('mantis_asset_info{site="mill",line="mill-line",asset="mill-1"}')).toBe(1);
    expect(value(`mantis_build_info{version="${app.services.version}",target="${app.target}"}`)).toBe(1);
    await api.request('DELETE', '/v1/assets/idle-1');
    await refreshBusinessMetrics(
      postgresRepositories(app.services.db as NonNullable<typeof app.services.db>),
      app.services.metrics,
      now,
    );
    expect(
      (await scrape())('mantis_asset_info{site="idle",line="idle-line",asset="idle-1"}'),
    ).toBeUndefined();
  });

  it('counts online-store hits and misses', async () => {
    await api.request('GET', '/v1/assets/mill-1');
    expect((await scrape())('mantis_online_store_reads_total{result="miss"}')).toBeGreaterThanOrEqual(1);
  });
});
