import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helmAssets } from '../scripts/build-helm-assets.ts';
import {
  byKind,
  CHART,
  disruptionsAllowed,
  effectiveMinReplicas,
  example,
  examples,
  examplesDir,
  helmToolsAvailable,
  ingressCovers,
  render,
  renderExamples,
  TARGETS,
  target,
} from './helpers/helm.ts';

/**
 * How the Helm chart deploy/helm/mantis runs in a cluster: which Deployments autoscale, disruption
 * budgets that let a node drain, Services, Ingresses and NetworkPolicies, and the monitoring it ships
 * (ServiceMonitor, the PrometheusRule and dashboards copied from deploy/).
 */

const root = resolve(import.meta.dirname, '..');
const tools = await helmToolsAvailable();

describe.runIf(tools.available)(
  'the scaling, traffic and monitoring of the Helm chart deploy/helm/mantis',
  () => {
    const rendered = renderExamples();
    const production = rendered['production.yaml'];

    it('autoscales ingest and api only; process and etl have fixed replicas', () => {
      const hpas = byKind(production, 'HorizontalPodAutoscaler');
      expect(hpas.map(target).sort()).toEqual(['api', 'ingest']);
      for (const hpa of hpas) {
        expect(hpa.apiVersion).toBe('autoscaling/v2');
        expect(hpa.spec.scaleTargetRef).toEqual({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: `plant-mantis-${target(hpa)}`,
        });
      }
      const deployments = byKind(production, 'Deployment');
      // The HPA owns the count of the Deployments it scales.
      expect(
        deployments
          .filter((d) => d.spec.replicas === undefined)
          .map(target)
          .sort(),
      ).toEqual(['api', 'ingest']);
      expect(deployments.find((d) => target(d) === 'etl')?.spec).toMatchObject({
        replicas: 1,
        strategy: { type: 'Recreate' },
      });
      expect(byKind(rendered['minimal.yaml'], 'HorizontalPodAutoscaler')).toEqual([]);
      expect(() => render([example('minimal')], ['etl.replicas=3'])).toThrow(/etl\.replicas|\/etl\/replicas/);
    });

    it('has a disruption budget per Deployment, Services for ingest and api, and a metrics port on every target', () => {
      expect(byKind(production, 'PodDisruptionBudget').map(target).sort()).toEqual(
        [...TARGETS, 'mqtt'].sort(),
      );
      const services = byKind(production, 'Service');
      expect(services.map(target).sort()).toEqual([...TARGETS, 'mqtt'].sort());
      for (const s of services) {
        const ports = s.spec.ports.map((p: { name: string }) => p.name);
        expect([target(s), ports]).toEqual([
          target(s),
          ['ingest', 'api'].includes(target(s) ?? '') ? ['http', 'metrics'] : ['metrics'],
        ]);
      }
      const [monitor] = byKind(production, 'ServiceMonitor');
      expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
      for (const s of services) expect(s.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    });

    it('carries exactly the rules of deploy/prometheus/rules in its PrometheusRule', () => {
      const rulesDir = join(root, 'deploy/prometheus/rules');
      const groups = readdirSync(rulesDir)
        .filter((f) => f.endsWith('.yml'))
        .sort()
        .flatMap((f) => parse(readFileSync(join(rulesDir, f), 'utf8')).groups);
      const [rule, ...others] = byKind(production, 'PrometheusRule');
      expect(others).toEqual([]);
      expect(rule.spec.groups).toEqual(groups);
      expect(groups.flatMap((g: { rules: unknown[] }) => g.rules).length).toBeGreaterThan(20);
      expect(byKind(rendered['minimal.yaml'], 'PrometheusRule')).toEqual([]);
    });

    it('ships every Grafana dashboard as a ConfigMap with the sidecar label, configurable', () => {
      const dashboards = join(root, 'deploy/grafana/dashboards');
      const files = readdirSync(dashboards).filter((f) => f.endsWith('.json'));
      const maps = byKind(production, 'ConfigMap');
      expect(maps).toHaveLength(files.length);
      for (const map of maps) {
        expect(map.metadata.labels?.grafana_dashboard).toBe('1');
        const [[file, json]] = Object.entries(map.data ?? {});
        expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(join(dashboards, file), 'utf8')));
      }
      const relabelled = byKind(
        render(
          [example('production')],
          ['monitoring.dashboards.label=dashboards', 'monitoring.dashboards.labelValue=mantis'],
        ),
        'ConfigMap',
      );
      for (const map of relabelled) expect(map.metadata.labels).toMatchObject({ dashboards: 'mantis' });
    });

    it('keeps its copies of the rules and dashboards identical to their sources (node scripts/build-helm-assets.ts)', () => {
      const expected = helmAssets();
      const files = join(CHART, 'files');
      const actual = Object.fromEntries(
        readdirSync(files).flatMap((dir) =>
          readdirSync(join(files, dir)).map((f) => [
            `${dir}/${f}`,
            readFileSync(join(files, dir, f), 'utf8'),
          ]),
        ),
      );
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      const stale = Object.keys(expected).filter((file) => actual[file] !== expected[file]);
      expect(stale, 'stale copies: run npm run dashboards (or npm run helm-assets)').toEqual([]);
    });

    it('denies ingress by default, opens ingest and api to their sources and /metrics to the scraper', () => {
      const policies = Object.fromEntries(
        byKind(production, 'NetworkPolicy').map((p) => [p.metadata.name, p.spec]),
      );
      expect(policies['plant-mantis-default-deny']).toMatchObject({ policyTypes: ['Ingress'] });
      expect(policies['plant-mantis-default-deny'].ingress).toBeUndefined();
      expect(policies['plant-mantis-ingest-http'].ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
        'kubernetes.io/metadata.name': 'ingress-nginx',
      });
      expect(policies['plant-mantis-metrics'].ingress[0].from[0].podSelector.matchLabels).toEqual({
        'app.kubernetes.io/name': 'prometheus',
      });
      expect(policies['plant-mantis-egress'].egress.length).toBeGreaterThan(1);
      expect(byKind(rendered['minimal.yaml'], 'NetworkPolicy').map((p) => p.metadata.name)).not.toContain(
        'plant-mantis-egress',
      );
    });

    it('scrapes with the job name of deploy/prometheus/prometheus.yml, which the rules and dashboards select on', () => {
      const prometheus = parse(readFileSync(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8'));
      const jobs = prometheus.scrape_configs.filter((j: { static_configs?: { targets: string[] }[] }) =>
        (j.static_configs ?? []).some((sc) =>
          sc.targets.some((t) => /^mantis-(ingest|process|api|etl):/.test(t)),
        ),
      );
      expect(jobs).toHaveLength(1);
      const [monitor] = byKind(production, 'ServiceMonitor');
      const relabel = monitor.spec.endpoints[0].relabelings.find(
        (r: { targetLabel: string }) => r.targetLabel === 'job',
      );
      expect(relabel).toMatchObject({ replacement: jobs[0].job_name, action: 'replace' });
    });

    it.each([
      ...examples.map((f) => [f, []] as [string, string[]]),
      [
        'minimal.yaml',
        ['ingest.autoscaling.enabled=true', 'ingest.autoscaling.minReplicas=1', 'process.replicas=1'],
      ],
      [
        'production.yaml',
        ['api.autoscaling.minReplicas=1', 'ingest.autoscaling.minReplicas=1', 'process.replicas=1'],
      ],
      [
        'production.yaml',
        ['api.autoscaling.enabled=false', 'api.replicas=1', 'api.pdb.minAvailable=1', 'etl.replicas=1'],
      ],
      ['production.yaml', ['process.replicas=0', 'etl.pdb.maxUnavailable=null', 'etl.pdb.minAvailable=1']],
      ['aws-s3.yaml', ['api.autoscaling.enabled=false', 'api.replicas=3', 'api.pdb.minAvailable=66%']],
    ])('has budgets in examples/%s (%j) that let a drain evict a pod of every Deployment', (file, set) => {
      const objects = set.length ? render([join(examplesDir, file)], set) : rendered[file];
      const budgets = byKind(objects, 'PodDisruptionBudget');
      for (const d of byKind(objects, 'Deployment')) {
        const pdb = budgets.find((b) => target(b) === target(d));
        const replicas = effectiveMinReplicas(d, objects);
        expect(pdb?.spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels);
        if (replicas > 0 && pdb)
          expect([target(d), replicas, disruptionsAllowed(pdb, replicas) >= 1]).toEqual([
            target(d),
            replicas,
            true,
          ]);
      }
    });

    it('publishes on Ingresses only the paths meant for users, never /metrics or /health/*', () => {
      const ingresses = Object.values(rendered).flatMap((objects) => byKind(objects, 'Ingress'));
      expect(ingresses.map(target).sort()).toEqual(['api', 'ingest']);
      for (const ing of ingresses) {
        const paths = ing.spec.rules.flatMap((r: { http: { paths: object[] } }) => r.http.paths);
        for (const request of ['/metrics', '/health/live', '/health/ready', '/health'])
          expect([
            ing.metadata.name,
            request,
            paths.some((p: { path: string; pathType: string }) => ingressCovers(p, request)),
          ]).toEqual([ing.metadata.name, request, false]);
        const routed = (request: string) =>
          paths.some((p: { path: string; pathType: string }) => ingressCovers(p, request));
        if (target(ing) === 'ingest') expect(['/v1/readings'].every(routed)).toBe(true);
        else
          expect(['/v1/assets', '/openapi.json', '/console/', '/console/app.js', '/'].every(routed)).toBe(
            true,
          );
      }
      expect(ingressCovers({ path: '/', pathType: 'Prefix' }, '/metrics')).toBe(true);
      expect(ingressCovers({ path: '/met', pathType: 'Prefix' }, '/metrics')).toBe(false);
    });
  },
);
