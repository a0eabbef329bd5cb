import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helmAssets } from '../scripts/build-helm-assets.ts';
import {
  CHART,
  HELM,
  helm,
  helmToolsAvailable,
  KUBERNETES_SCHEMAS,
  type KubeObject,
  OPERATOR_CRDS,
  render,
} from './helpers/helm.ts';
import { kubeValidator, strictVersions } from './helpers/kube-schemas.ts';

const root = resolve(import.meta.dirname, '..');
const examplesDir = join(CHART, 'examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'));
const example = (name: string) => join(examplesDir, `${name}.yaml`);
const TARGETS = ['ingest', 'process', 'api', 'etl'];
const tools = await helmToolsAvailable();

/** CPU in cores and memory in bytes, from a Kubernetes quantity or a Compose value (M and G are binary there). */
const cores = (q: string | number) =>
  String(q).endsWith('m') ? Number.parseFloat(String(q)) / 1000 : Number(q);
const bytes = (q: string | number) => {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(String(q));
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
};
const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
const target = (o: KubeObject) => o.metadata.labels?.['app.kubernetes.io/component'];

describe.runIf(tools.available)('the Helm chart deploy/helm/mantis', () => {
  const versions = strictVersions(KUBERNETES_SCHEMAS).slice(-2);
  const validators = versions.map((v) => kubeValidator(KUBERNETES_SCHEMAS, v, OPERATOR_CRDS));
  const rendered = Object.fromEntries(examples.map((f) => [f, render([join(examplesDir, f)])]));
  const production = rendered['production.yaml'];

  it(`is checked with ${HELM} and the schemas of two Kubernetes versions`, () => {
    expect(helm('version', '--short').stdout).toMatch(/^v4\.3\.1/);
    expect(versions).toHaveLength(2);
    expect(examples).toEqual(expect.arrayContaining(['minimal.yaml', 'production.yaml', 'aws-s3.yaml']));
    process.stdout.write(`helm chart validated against Kubernetes ${versions.join(' and ')}\n`);
  });

  it.each(examples)('passes helm lint --strict with examples/%s', (file) => {
    const result = helm('lint', '--strict', CHART, '-f', join(examplesDir, file));
    expect([result.code, result.out]).toEqual([
      0,
      expect.stringContaining('1 chart(s) linted, 0 chart(s) failed'),
    ]);
  });

  it.each(examples)(
    'renders examples/%s into objects valid for both Kubernetes versions (strict)',
    (file) => {
      const objects = rendered[file];
      expect(objects.length).toBeGreaterThan(10);
      const problems = validators.flatMap((v) =>
        objects.flatMap((o) => v.validate(o).map((p) => `${v.version} ${o.kind}/${o.metadata.name} ${p}`)),
      );
      expect(problems).toEqual([]);
    },
  );

  it('validates strictly: an unknown field, a wrong type, an unknown kind and a bad custom resource fail', () => {
    const [deployment] = byKind(production, 'Deployment');
    const [monitor] = byKind(production, 'ServiceMonitor');
    const [rule] = byKind(production, 'PrometheusRule');
    for (const v of validators) {
      expect(v.validate(deployment)).toEqual([]);
      expect(v.validate({ ...deployment, spec: { ...deployment.spec, replica: 2 } }).join()).toContain(
        'replica',
      );
      expect(v.validate({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } }).join()).toContain(
        '/spec/replicas',
      );
      expect(v.validate({ ...deployment, kind: 'Deploymint' })).toEqual([
        `no schema for apps/v1 Deploymint in Kubernetes ${v.version}`,
      ]);
      expect(v.validate({ ...monitor, spec: { ...monitor.spec, endpoint: [] } }).join()).toContain(
        'endpoint',
      );
      const badRule = {
        ...rule,
        spec: { groups: [{ name: 'g', rules: [{ alert: 'A', for: '5 minutes' }] }] },
      };
      expect(v.validate(badRule).length).toBeGreaterThan(0);
    }
  });

  it('runs the four targets from one image, with probes, resources from the compose stack and a locked-down context', () => {
    const compose = parse(readFileSync(join(root, 'deploy/compose/docker-compose.yml'), 'utf8'), {
      merge: true,
    });
    for (const objects of Object.values(rendered)) {
      const deployments = byKind(objects, 'Deployment');
      expect(deployments.map(target).sort()).toEqual([...TARGETS].sort());
      expect(new Set(deployments.map((d) => d.spec.template.spec.containers[0].image)).size).toBe(1);
      for (const d of deployments) {
        const pod = d.spec.template.spec;
        const [c] = pod.containers;
        expect(c.args).toEqual(['run', '--target', target(d)]);
        expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
        expect(c.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        const { limits, reservations } = compose.services[`mantis-${target(d)}`].deploy.resources;
        expect([target(d), cores(c.resources.limits.cpu), bytes(c.resources.limits.memory)]).toEqual([
          target(d),
          cores(limits.cpus),
          bytes(limits.memory),
        ]);
        expect([target(d), cores(c.resources.requests.cpu), bytes(c.resources.requests.memory)]).toEqual([
          target(d),
          cores(reservations.cpus),
          bytes(reservations.memory),
        ]);
        expect(pod.securityContext).toMatchObject({
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        const env = Object.fromEntries(c.env.map((e: { name: string; value?: string }) => [e.name, e]));
        expect(env.MANTIS_DATABASE_URL.valueFrom.secretKeyRef.name).toMatch(/./);
        expect(env.MANTIS_INGEST_TOKEN.valueFrom.secretKeyRef.name).toMatch(/./);
        expect(env.MANTIS_BUS_URL.value).toMatch(/^kafka:\/\/[^,]+:\d+/);
      }
    }
  });

  it('points MANTIS at the external stores with the compose stack settings, every secret from an existing Secret', () => {
    const api = byKind(production, 'Deployment').find((d) => target(d) === 'api');
    const env = Object.fromEntries(
      api?.spec.template.spec.containers[0].env.map((e: { name: string }) => [e.name, e]) ?? [],
    );
    for (const name of [
      'MANTIS_DATABASE_URL',
      'MANTIS_INGEST_TOKEN',
      'MANTIS_ONLINE_STORE_URL',
      'INFLUX_TOKEN',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ])
      expect([name, env[name]?.valueFrom?.secretKeyRef?.name]).toEqual([name, 'mantis-secrets']);
    expect(env.MANTIS_RAW_STORE_URL.value).toBe(
      'influxdb2://influxdb.data:8086?org=mantis&bucket=mantis-raw',
    );
    expect(env.MANTIS_OBJECT_STORE_URL.value).toMatch(/^s3:\/\//);
    expect(env.MANTIS_ML_TRACKING_URL.value).toBe('http://mlflow.ml:5000');
    for (const objects of Object.values(rendered)) expect(byKind(objects, 'Secret')).toEqual([]);
    // IAM role for the service account: no S3 keys at all.
    const aws = byKind(rendered['aws-s3.yaml'], 'Deployment')[0].spec.template.spec.containers[0].env;
    expect(aws.map((e: { name: string }) => e.name)).not.toContain('AWS_ACCESS_KEY_ID');
    expect(byKind(rendered['aws-s3.yaml'], 'ServiceAccount')[0].metadata.annotations).toHaveProperty(
      'eks.amazonaws.com/role-arn',
    );
  });

  it('migrates in a pre-install/pre-upgrade hook Job with a delete policy and a retry limit', () => {
    for (const objects of Object.values(rendered)) {
      const [job, ...others] = byKind(objects, 'Job');
      expect(others).toEqual([]);
      expect(job.metadata.annotations).toMatchObject({
        'helm.sh/hook': 'pre-install,pre-upgrade',
        'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
      });
      expect(job.spec.backoffLimit).toBe(3);
      expect(job.spec.template.spec.containers[0].args).toEqual(['migrate']);
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
    }
  });

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

  it('has a disruption budget per target, Services for ingest and api, and a metrics port on every target', () => {
    expect(byKind(production, 'PodDisruptionBudget').map(target).sort()).toEqual([...TARGETS].sort());
    const services = byKind(production, 'Service');
    expect(services.map(target).sort()).toEqual([...TARGETS].sort());
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
        readdirSync(join(files, dir)).map((f) => [`${dir}/${f}`, readFileSync(join(files, dir, f), 'utf8')]),
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

  it.each([
    ['postgresql.existingSecret', ['postgresql.existingSecret=']],
    ['ingestToken.existingSecret', ['ingestToken.existingSecret=']],
    ['redis.existingSecret', ['redis.enabled=true']],
    ['influxdb.existingSecret', ['influxdb.enabled=true', 'influxdb.url=influxdb2://i:8086?org=o&bucket=b']],
    ['s3.existingSecret', ['s3.enabled=true', 's3.url=s3://bucket']],
    ['kafka.brokers', ['kafka.brokers=']],
  ])('refuses to render without %s, naming it', (value, set) => {
    const result = helm(
      'template',
      'plant',
      CHART,
      '-f',
      example('minimal'),
      ...set.flatMap((s) => ['--set', s]),
    );
    expect(result.code).not.toBe(0);
    expect(result.out).toContain(`${value} is required`);
  });

  it.each([
    ['process.replicas=-1', '/process/replicas', 'minimum'],
    ['kafka.partitions=six', '/kafka/partitions', 'integer'],
    ['ingest.autoscaling.enabled=maybe', '/ingest/autoscaling/enabled', 'boolean'],
    ['api.service.type=Public', '/api/service/type', 'ClusterIP'],
  ])('rejects %s through values.schema.json, naming the value', (set, path, reason) => {
    const result = helm('template', 'plant', CHART, '-f', example('minimal'), '--set', set);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain(path);
    expect(result.out).toContain(reason);
  });
});
