import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prometheus } from '../dashboards/datasources.ts';
import { alertRulesProvisioning } from '../dashboards/index.ts';
import { builtFiles } from '../scripts/build-dashboards.ts';
import type { MantisApp } from '../src/app/app.ts';
import { client } from './helpers/app.ts';
import { dashboards, expandSql, panelsOf, promqlQueries, sqlQueries } from './helpers/dashboards.ts';
import { engines } from './helpers/engines.ts';

const root = resolve(import.meta.dirname, '..');
const grafana = join(root, 'deploy/grafana');
const read = (path: string) => readFileSync(join(grafana, path), 'utf8');

interface ProvisionedDatasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
  user?: string;
}
const provisioned: ProvisionedDatasource[] = parse(read('provisioning/datasources/mantis.yml')).datasources;

describe('the Grafana dashboards', () => {
  it('are built from dashboards/*.ts into the checked-in JSON (node scripts/build-dashboards.ts)', () => {
    for (const [file, text] of Object.entries(builtFiles())) expect([file, read(file)]).toEqual([file, text]);
  });

  it('are the five of the plan, each with its own uid, in the MANTIS folder', () => {
    expect(Object.values(dashboards).map((d) => d.title)).toEqual([
      'MANTIS / Infrastructure',
      'MANTIS / Kafka',
      'MANTIS / Databases',
      'MANTIS / Application',
      'MANTIS / Business',
    ]);
    expect(new Set(Object.values(dashboards).map((d) => d.uid)).size).toBe(5);
    const provider = parse(read('provisioning/dashboards/mantis.yml')).providers[0];
    expect(provider).toMatchObject({ type: 'file', folder: 'MANTIS', allowUiUpdates: false });
  });

  it('read only provisioned datasources, Prometheus through the datasource variable', () => {
    const uids = new Set(provisioned.map((d) => d.uid));
    const types = new Set(provisioned.map((d) => d.type));
    for (const [file, d] of Object.entries(dashboards)) {
      const variable = d.templating?.list?.find((v) => v.name === 'datasource');
      expect([file, variable?.type, variable?.query]).toEqual([file, 'datasource', 'prometheus']);
      const refs = [
        ...panelsOf(d).map((p) => ({ where: p.title, ref: p.datasource })),
        ...(d.annotations?.list ?? []).map((a) => ({ where: a.name, ref: a.datasource })),
        ...(d.templating?.list ?? [])
          .filter((v) => v.type === 'query')
          .map((v) => ({ where: v.name, ref: v.datasource })),
      ];
      for (const { where, ref } of refs) {
        const known = ref?.uid === prometheus.uid ? types.has(ref?.type ?? '') : uids.has(ref?.uid ?? '');
        expect([file, where, ref, known]).toEqual([file, where, ref, true]);
      }
    }
  });

  it('use every variable they define', () => {
    for (const [file, d] of Object.entries(dashboards)) {
      const text = JSON.stringify({ panels: d.panels, annotations: d.annotations, templating: d.templating });
      for (const v of d.templating?.list ?? []) {
        const uses = text.match(new RegExp(`\\$(\\{${v.name}\\}|${v.name}\\b)`, 'g')) ?? [];
        expect([file, v.name, uses.length > 0]).toEqual([file, v.name, true]);
      }
    }
  });

  it('among them use the datasource, site, asset and service variables', () => {
    const names = new Set(
      Object.values(dashboards).flatMap((d) => d.templating?.list?.map((v) => v.name) ?? []),
    );
    for (const name of ['datasource', 'site', 'asset', 'service']) expect(names).toContain(name);
  });

  it('annotate deployments everywhere and opened work orders where assets are shown', () => {
    for (const [file, d] of Object.entries(dashboards)) {
      const names = d.annotations?.list?.map((a) => a.name) ?? [];
      expect([file, names.includes('Deployments')]).toEqual([file, true]);
    }
    for (const file of ['application.json', 'business.json'])
      expect(dashboards[file].annotations?.list?.map((a) => a.name)).toContain('Work orders opened');
  });

  it('give every panel a title, a description and a place inside 24 columns that no other panel takes', () => {
    for (const [file, d] of Object.entries(dashboards)) {
      const taken = new Set<string>();
      const ids = new Set<number>();
      for (const panel of d.panels ?? []) {
        const { x, y, w, h } = panel.gridPos ?? { x: -1, y: -1, w: 0, h: 0 };
        expect([file, panel.title, x >= 0 && x + w <= 24 && w > 0 && h > 0]).toEqual([
          file,
          panel.title,
          true,
        ]);
        for (let i = x; i < x + w; i++)
          for (let j = y; j < y + h; j++) {
            expect([file, panel.title, taken.has(`${i},${j}`)]).toEqual([file, panel.title, false]);
            taken.add(`${i},${j}`);
          }
        ids.add(panel.id ?? -1);
        if (panel.type !== 'row')
          expect([file, panel.title, (panel as { description?: string }).description]).toEqual([
            file,
            panel.title,
            expect.stringMatching(/\w/),
          ]);
      }
      expect(ids.size).toBe(d.panels?.length);
    }
  });

  it('hold a PromQL expression in every Prometheus query', () => {
    const queries = promqlQueries();
    expect(queries.length).toBeGreaterThan(80);
    for (const q of queries) expect([q.where, q.text.trim().length > 0]).toEqual([q.where, true]);
  });
});

describe('Grafana provisioning', () => {
  it('provisions Prometheus, TimescaleDB (timescaledb: true), InfluxDB and Jaeger', () => {
    expect(provisioned.map((d) => d.type).sort()).toEqual(
      ['grafana-postgresql-datasource', 'influxdb', 'jaeger', 'prometheus'].sort(),
    );
    expect(provisioned.find((d) => d.type === 'grafana-postgresql-datasource')?.jsonData?.timescaledb).toBe(
      true,
    );
    expect(provisioned.find((d) => d.type === 'prometheus')?.uid).toBe('mantis-prometheus');
  });

  it('takes every credential from the environment, never from the file', () => {
    for (const d of provisioned) {
      for (const [key, value] of Object.entries(d.secureJsonData ?? {}))
        expect([d.name, key, value]).toEqual([d.name, key, expect.stringMatching(/^\$\{[A-Z_]+\}$/)]);
      if (d.user) expect(d.user).toMatch(/^\$\{[A-Z_]+\}$/);
    }
  });

  it('sends Grafana-managed alerts to the stack Alertmanager', () => {
    const file = parse(read('provisioning/alerting/contact-points.yml'));
    expect(file.contactPoints[0].receivers[0]).toMatchObject({
      type: 'prometheus-alertmanager',
      settings: { url: 'http://alertmanager:9093' },
    });
    expect(file.policies[0].receiver).toBe(file.contactPoints[0].name);
  });
});

describe('the Grafana-managed business KPI alert rules', () => {
  const rules = alertRulesProvisioning().groups.flatMap((g) => g.rules);
  const runbooks = readFileSync(join(root, 'docs/runbooks.md'), 'utf8');

  it('cover OEE, availability, quality, MTTR and urgent work orders', () => {
    expect(rules.map((r) => r.title)).toEqual([
      'OeeBelowObjective',
      'AvailabilityLow',
      'QualityLow',
      'MttrHigh',
      'UrgentWorkOrdersWaiting',
    ]);
  });

  it('each query a provisioned datasource or an expression, with a condition among their queries', () => {
    const uids = new Set([...provisioned.map((d) => d.uid), '__expr__']);
    for (const rule of rules) {
      expect(rule.data.map((q) => q.refId)).toContain(rule.condition);
      for (const q of rule.data)
        expect([rule.title, uids.has(q.datasourceUid ?? '')]).toEqual([rule.title, true]);
      expect(rule.for).toMatch(/^\d+[mh]$/);
    }
  });

  it('carry a severity, the maintenance team, a summary, a description and a runbook section', () => {
    for (const rule of rules) {
      expect(rule.labels?.severity).toMatch(/^(critical|warning|info)$/);
      expect(rule.labels?.team).toBe('maintenance');
      expect(rule.annotations?.summary).toMatch(/\w/);
      expect(rule.annotations?.description).toMatch(/\w/);
      expect(rule.annotations?.runbook_url).toBe(`docs/runbooks.md#${rule.title.toLowerCase()}`);
      expect(runbooks).toContain(`\n## ${rule.title}\n`);
    }
  });
});

describe.each(engines)('the dashboards’ SQL on the MANTIS schema, on $name', (engine) => {
  let app: MantisApp;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    const api = client(app);
    const put = await api.request('PUT', '/v1/assets/press-1', {
      siteId: 'works',
      lineId: 'presses',
      name: 'Press 1',
      kind: 'press',
      sensors: [],
    });
    expect(put.status).toBeLessThan(300);
    const order = await api.request('POST', '/v1/work-orders', {
      assetId: 'press-1',
      title: "Replace the operator's bearing",
      priority: 'urgent',
      cause: 'bearing',
    });
    expect(order.status).toBe(201);
    const now = Date.now();
    const downtime = await api.request('POST', '/v1/downtime', {
      assetId: 'press-1',
      kind: 'unplanned',
      reason: 'jam',
      start: now - 3_600_000,
      end: now - 1_800_000,
    });
    expect(downtime.status).toBe(201);
    await app.services.db?.query(
      `INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms,
         peak_to_peak, health)
       VALUES ('press-1', 'temp', now() - interval '10 minutes', now() - interval '9 minutes', 60, 1, 0, 2, 0.5,
         1.1, 2, 87)`,
    );
  }, 60_000);

  afterAll(async () => {
    await stop?.();
  });

  it('runs every query and annotation, and the work-order, downtime, feature and table queries find rows', async () => {
    const queries = sqlQueries();
    expect(queries.length).toBeGreaterThanOrEqual(5);
    const rows: Record<string, unknown[]> = {};
    for (const q of queries) {
      const text = expandSql(q.text, { site: ['works', 'elsewhere'], asset: ['press-1'] });
      rows[q.where] =
        (await app.services.db?.query(text).catch((err: Error) => {
          throw new Error(`${q.where}: ${err.message}\n${text}`);
        })) ?? [];
    }
    expect(rows['business.json: Open work orders']).toEqual([
      expect.objectContaining({ asset: 'press-1', site: 'works', priority: 'urgent', status: 'open' }),
    ]);
    expect(rows['business.json: Unplanned downtime by reason']).toEqual([
      expect.objectContaining({ reason: 'jam', events: expect.anything() }),
    ]);
    expect(
      Number(
        (rows['business.json: Unplanned downtime by reason'][0] as { 'hours down': unknown })['hours down'],
      ),
    ).toBe(0.5);
    expect(rows['business.json: Feature health per asset (database)']).toEqual([
      expect.objectContaining({ metric: 'press-1', value: expect.closeTo(0.87, 5) }),
    ]);
    expect(rows['business.json: annotation Work orders opened']).toEqual([
      expect.objectContaining({ text: "Replace the operator's bearing (press-1)", tags: 'urgent' }),
    ]);
    expect(rows['databases.json: Largest tables'].length).toBeGreaterThan(5);
  });
});
