import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { executableAvailable, freePort } from './helpers/infra.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const root = resolve(import.meta.dirname, '..');

interface Delivery {
  receiver: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const ready = [await executableAvailable(PROMETHEUS), await executableAvailable(ALERTMANAGER)];

describe.runIf(ready.every((r) => r.available))('alerting through a real Prometheus and Alertmanager', () => {
  const children: ChildProcess[] = [];
  const deliveries: Delivery[] = [];
  let webhook: Server;
  let alertmanagerPort: number;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-alerting-'));
    const [webhookPort, promPort, amPort, deadPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    alertmanagerPort = amPort;

    // Every receiver of the shipped configuration delivers to this webhook instead (the path names it):
    // the routes, grouping and inhibition rules are the shipped ones, unchanged.
    webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        deliveries.push({ ...JSON.parse(body), receiver: request.url?.slice(1) ?? '' });
        response.end();
      });
    }).listen(webhookPort, '127.0.0.1');
    const shipped = parse(readFileSync(join(root, 'deploy/alertmanager/alertmanager.yml'), 'utf8'));
    const amConfig = {
      route: shipped.route,
      inhibit_rules: shipped.inhibit_rules,
      receivers: shipped.receivers.map((r: { name: string }) => ({
        name: r.name,
        webhook_configs: [{ url: `http://127.0.0.1:${webhookPort}/${r.name}`, send_resolved: true }],
      })),
    };
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(amConfig));

    // The shipped alert rules, plus two warnings that exist only here: one of a service that is down
    // (to be inhibited by its TargetDown) and one of a service that is up (to be delivered).
    writeFileSync(
      join(dir, 'test-rules.yml'),
      stringify({
        groups: [
          {
            name: 'test',
            rules: [
              {
                alert: 'IngestDegraded',
                expr: 'up{service="ingest"} == 0',
                for: '1m',
                labels: { severity: 'warning' },
              },
              { alert: 'ApiDegraded', expr: 'vector(1)', labels: { severity: 'warning', service: 'api' } },
            ],
          },
        ],
      }),
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [join(root, 'deploy/prometheus/rules/*.yml'), join(dir, 'test-rules.yml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
        scrape_configs: [
          // An ingest target that does not answer: TargetDown, critical.
          {
            job_name: 'mantis',
            static_configs: [{ targets: [`127.0.0.1:${deadPort}`], labels: { service: 'ingest' } }],
          },
        ],
      }),
    );
    children.push(
      spawn(ALERTMANAGER, [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'am')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
      ]),
      spawn(PROMETHEUS, [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ]),
    );
    for (const child of children) child.stderr?.resume();
  }, 30_000);

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    webhook?.close();
  });

  it('routes a critical alert to the pager, a warning to Slack, and inhibits the warning of the service that is down', async () => {
    const paged = await waitFor(
      'TargetDown at the pager',
      async () =>
        deliveries.find(
          (d) => d.receiver === 'ops-pager' && d.alerts.some((a) => a.labels.alertname === 'TargetDown'),
        ),
      150_000,
    );
    expect(paged.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { alertname: 'TargetDown', severity: 'critical', service: 'ingest', job: 'mantis' },
      annotations: { runbook_url: 'docs/runbooks.md#targetdown' },
    });
    const slack = await waitFor(
      'ApiDegraded in Slack',
      async () =>
        deliveries.find(
          (d) => d.receiver === 'ops-slack' && d.alerts.some((a) => a.labels.alertname === 'ApiDegraded'),
        ),
      60_000,
    );
    expect(slack.alerts.map((a) => a.labels.service)).toEqual(['api']);

    // The ingest warning fires too, but Alertmanager holds it back while TargetDown of ingest fires.
    const inhibited = await waitFor(
      'IngestDegraded inhibited',
      async () => {
        const response = await fetch(
          `http://127.0.0.1:${alertmanagerPort}/api/v2/alerts?filter=alertname%3D%22IngestDegraded%22`,
        );
        const [alert] = (await response.json()) as { status: { state: string; inhibitedBy: string[] } }[];
        return alert?.status.state === 'suppressed' && alert.status.inhibitedBy.length > 0
          ? alert
          : undefined;
      },
      60_000,
    );
    expect(inhibited.status.inhibitedBy).toHaveLength(1);
    // Past the warnings' group wait (30 s): still never delivered anywhere.
    await new Promise((r) => setTimeout(r, 35_000));
    expect(deliveries.flatMap((d) => d.alerts).some((a) => a.labels.alertname === 'IngestDegraded')).toBe(
      false,
    );
  }, 300_000);
});
