import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helmAssets } from '../scripts/build-helm-assets.ts';
import {
  appSettings,
  CHART,
  containerPort,
  disruptionsAllowed,
  effectiveMinReplicas,
  HELM,
  helm,
  helmToolsAvailable,
  ingressCovers,
  KUBERNETES_SCHEMAS,
  type KubeObject,
  OPERATOR_CRDS,
  pods,
  render,
} from './helpers/helm.ts';
import { apiServerProblems, kubeValidator, strictVersions } from './helpers/kube-schemas.ts';

const root = resolve(import.meta.dirname, '..');
const examplesDir = join(CHART, 'examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'));
const example = (name: string) => join(examplesDir, `${name}.yaml`);
const TARGETS = ['ingest', 'process', 'api', 'etl'];
/** The target a Deployment runs: the mqtt subscriber is the ingest target. */
const runs = (component: string | undefined) => (component === 'mqtt' ? 'ingest' : component);
/** Names outside MANTIS_* that the chart sets, each read by MANTIS (checked against src/). */
const OTHER_ENV = [
  'INFLUX_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
];
const sourceText = (dir: string): string =>
  readdirSync(dir, { withFileTypes: true })
    .map((e) =>
      e.isDirectory()
        ? sourceText(join(dir, e.name))
        : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
          ? readFileSync(join(dir, e.name), 'utf8')
          : '',
    )
    .join('\n');
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
      expect(deployments.map(target).filter((t) => t !== 'mqtt')).toEqual(TARGETS);
      expect(new Set(deployments.map((d) => d.spec.template.spec.containers[0].image)).size).toBe(1);
      for (const d of deployments) {
        const pod = d.spec.template.spec;
        const [c] = pod.containers;
        expect(c.args).toEqual(['run', '--target', runs(target(d))]);
        expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
        expect(c.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        const { limits, reservations } = compose.services[`mantis-${runs(target(d))}`].deploy.resources;
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

  it('has a disruption budget per Deployment, Services for ingest and api, and a metrics port on every target', () => {
    expect(byKind(production, 'PodDisruptionBudget').map(target).sort()).toEqual([...TARGETS, 'mqtt'].sort());
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
    // Values that end up in names, labels, annotation keys, ports and image references, which the API server
    // checks but `helm template` does not.
    ['nameOverride=My_App!', '/nameOverride', 'does not match pattern'],
    ['fullnameOverride=9-lives', '/fullnameOverride', 'does not match pattern'],
    ['commonLabels.foo=bar baz', '/commonLabels/foo', 'does not match pattern'],
    ['commonLabels.app\\.kubernetes\\.io/component=x', 'invalid propertyName', 'app.kubernetes.io/component'],
    ['podLabels.tier=a/b', '/podLabels/tier', 'does not match pattern'],
    ['podAnnotations.bad key=x', 'invalid propertyName', 'bad key'],
    ['image.tag=latest; rm -rf /', '/image/tag', 'does not match pattern'],
    ['image.repository=Ghcr.io/Mantis', '/image/repository', 'does not match pattern'],
    ['image.digest=sha256:abc', '/image/digest', 'does not match pattern'],
    ['serviceAccount.name=Mantis SA', '/serviceAccount/name', 'does not match pattern'],
    ['imagePullSecrets[0].name=Reg_Cred', '/imagePullSecrets/0/name', 'does not match pattern'],
    ['ingest.nodeSelector.pool=a b', '/ingest/nodeSelector/pool', 'does not match pattern'],
    ['api.ingress.className=Nginx!', '/api/ingress/className', 'does not match pattern'],
    ['api.ingress.paths[0].path=v1', '/api/ingress/paths/0/path', 'does not match pattern'],
    ['monitoring.dashboards.labelValue=a b', '/monitoring/dashboards/labelValue', 'does not match pattern'],
    [
      'monitoring.dashboards.namespace=Monitoring',
      '/monitoring/dashboards/namespace',
      'does not match pattern',
    ],
    ['httpPort=70000', '/httpPort', 'maximum'],
    ['podSecurityContext.runAsUser=0', '/podSecurityContext/runAsUser', 'minimum'],
    ['securityContext.runAsUser=0', '/securityContext/runAsUser', 'minimum'],
    ['process.pdb.maxUnavailable=0', '/process/pdb/maxUnavailable', 'anyOf'],
    ['volumes.data.sizeLimit=lots', '/volumes/data/sizeLimit', 'does not match pattern'],
    ['mqtt.url=tcp://broker:1883', '/mqtt/url', 'does not match pattern'],
    ['mqtt.protocolVersion=4', '/mqtt/protocolVersion', 'value must be one of'],
  ])('rejects %s through values.schema.json, naming the value', (set, path, reason) => {
    const result = helm('template', 'plant', CHART, '-f', example('minimal'), '--set', set);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain(path);
    expect(result.out).toContain(reason);
  });

  it.each([
    ['metricsServicePort=8080', 'metricsServicePort (8080) must differ from httpPort (8080)'],
    ['fullnameOverride=', 'must be a DNS-1035 label', '7plant'],
    ['env.MANTIS_HTTP_HOST=127.0.0.1', 'env sets MANTIS_HTTP_HOST, which the chart sets itself'],
    ['api.env.MANTIS_DATA_DIR=/data', 'api.env sets MANTIS_DATA_DIR, which the chart sets itself'],
    ['extraEnv[0].name=MANTIS_HTTP_PORT', 'extraEnv[0] sets MANTIS_HTTP_PORT'],
    ['ingest.env.MANTIS_MQTT_URL=mqtt://broker:1883', 'ingest.env sets MANTIS_MQTT_URL: use mqtt.*'],
    ['mqtt.enabled=true', 'mqtt.url is required when mqtt.enabled'],
    [
      'api.autoscaling.enabled=false,api.replicas=3,api.pdb.minAvailable=3',
      'api.pdb.minAvailable (3) leaves none of the 3 replicas free',
    ],
    [
      'process.replicas=4,process.pdb.minAvailable=80%',
      'process.pdb.minAvailable (80%) leaves none of the 4 replicas free',
    ],
    [
      'api.ingress.enabled=true,api.ingress.hosts[0]=mantis.example.com,api.ingress.paths[0].path=/,api.ingress.paths[0].pathType=Prefix',
      'api.ingress.paths: Prefix / would publish /metrics',
    ],
    [
      'ingest.ingress.enabled=true,ingest.ingress.hosts[0]=i.example.com,ingest.ingress.paths[0].path=/health/,ingest.ingress.paths[0].pathType=Prefix',
      'ingest.ingress.paths: Prefix /health/ would publish',
    ],
  ])('refuses %s at render, naming the value and the reason', (set, message, release = 'plant') => {
    const result = helm('template', release, CHART, '-f', example('minimal'), '--set', set);
    expect([result.code === 0, result.out]).toEqual([false, expect.stringContaining(message)]);
  });

  it.each(examples)(
    'renders examples/%s into objects the API server accepts (names, labels, ports, images)',
    (file) => {
      expect(
        rendered[file].flatMap((o) => apiServerProblems(o).map((p) => `${o.kind}/${o.metadata.name} ${p}`)),
      ).toEqual([]);
    },
  );

  it('catches what the API server refuses beyond the schemas', () => {
    const [service] = byKind(production, 'Service');
    const [deployment] = byKind(production, 'Deployment');
    const clash = {
      ...service,
      spec: { ...service.spec, ports: service.spec.ports.map((p: object) => ({ ...p, port: 8080 })) },
    };
    expect(apiServerProblems(clash).join()).toContain('duplicate port 8080/TCP');
    const labelled = { ...service, metadata: { ...service.metadata, labels: { foo: 'bar baz' } } };
    expect(apiServerProblems(labelled).join()).toContain('"bar baz" is not a label value');
    expect(apiServerProblems({ ...service, metadata: { name: 'plant-My_App!-api' } }).join()).toContain(
      'is not a valid Service name',
    );
    const [c] = deployment.spec.template.spec.containers;
    const image = structuredClone(deployment);
    image.spec.template.spec.containers[0] = { ...c, image: 'ghcr.io/mantis:latest; rm -rf /' };
    expect(apiServerProblems(image).join()).toContain('is not an image reference');
  });

  it.each(examples)(
    'gives every pod of examples/%s settings MANTIS loads, listening and writing where the chart looks',
    (file) => {
      const objects = rendered[file];
      const known = sourceText(join(root, 'src'));
      for (const pod of pods(objects)) {
        const [c] = pod.spec.containers;
        const where = `${pod.owner.kind}/${pod.owner.metadata.name}`;
        for (const { name } of c.env)
          expect([where, name]).toEqual([
            where,
            expect.stringMatching(
              /^MANTIS_|^(INFLUX_TOKEN|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|OTEL_EXPORTER_OTLP_ENDPOINT)$/,
            ),
          ]);
        // The real loader: an unknown MANTIS_* name or a bad value is an error, as at start (exit 2).
        const { config } = appSettings(c);
        expect([where, config.http.host]).toEqual([where, expect.stringMatching(/^(0\.0\.0\.0|::)$/)]);
        expect([where, config.mqtt.listen]).toEqual([where, 'off']);
        expect([where, config.mqtt.url !== undefined]).toEqual([where, pod.component === 'mqtt']);
        // Writable paths are mounted volumes, the data volume where MANTIS keeps its data.
        const volumes = Object.fromEntries(pod.spec.volumes.map((v: { name: string }) => [v.name, v]));
        const mounts: { name: string; mountPath: string }[] = c.volumeMounts;
        const mountOf = (path: string) =>
          mounts.find((m) => path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
        expect(mounts.find((m) => m.name === 'data')?.mountPath).toBe(config.dataDir);
        const readOnly = (c.securityContext?.readOnlyRootFilesystem ?? false) === true;
        for (const path of readOnly ? [config.dataDir, '/tmp'] : []) {
          const mount = mountOf(path);
          expect([where, path, mount !== undefined]).toEqual([where, path, true]);
          expect(volumes[mount?.name ?? ''].emptyDir.sizeLimit).toMatch(/^\d+(Ki|Mi|Gi|Ti)$/);
        }
        // Non-root, with a non-zero uid wherever one is set.
        const uid = c.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
        if (uid !== undefined) expect([where, uid]).toEqual([where, expect.any(Number)]);
        if (uid !== undefined) expect(uid).toBeGreaterThan(0);
        expect(c.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot).toBe(true);
        if (pod.owner.kind !== 'Deployment') continue;
        // The port the app listens on is the container port, and the probes' port.
        expect([where, containerPort(c, 'http')]).toEqual([where, config.http.port]);
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
          expect([where, probe, containerPort(c, c[probe].httpGet.port)]).toEqual([
            where,
            probe,
            config.http.port,
          ]);
      }
      for (const name of OTHER_ENV) expect([name, known.includes(name)]).toEqual([name, true]);
      // Services and network policies reach that port on the pods they select.
      const deployments = pods(objects).filter((p) => p.owner.kind === 'Deployment');
      const selected = (selector: Record<string, string>) =>
        deployments.filter((p) => Object.entries(selector).every(([k, v]) => p.labels[k] === v));
      for (const s of byKind(objects, 'Service'))
        for (const port of s.spec.ports)
          for (const p of selected(s.spec.selector)) {
            const [c] = p.spec.containers;
            expect([s.metadata.name, port.name, containerPort(c, port.targetPort)]).toEqual([
              s.metadata.name,
              port.name,
              appSettings(c).config.http.port,
            ]);
          }
      for (const np of byKind(objects, 'NetworkPolicy'))
        for (const rule of np.spec.ingress ?? [])
          for (const port of rule.ports ?? [])
            for (const p of selected(np.spec.podSelector.matchLabels)) {
              const [c] = p.spec.containers;
              expect([np.metadata.name, containerPort(c, port.port)]).toEqual([
                np.metadata.name,
                appSettings(c).config.http.port,
              ]);
            }
    },
  );

  it('finds an unknown setting, a loopback host and a port mismatch in a rendered pod', () => {
    const [d] = byKind(rendered['minimal.yaml'], 'Deployment');
    const c = structuredClone(d.spec.template.spec.containers[0]);
    expect(() =>
      appSettings({ ...c, env: [...c.env, { name: 'MANTIS_KAFKA_PARTITIONS', value: '6' }] }),
    ).toThrow('MANTIS_KAFKA_PARTITIONS: unknown setting');
    const port = appSettings({
      ...c,
      env: [...c.env.filter((e: { name: string }) => e.name !== 'MANTIS_HTTP_PORT')],
    });
    expect(port.config.http.port).toBe(8080);
    expect(containerPort({ ...c, ports: [{ name: 'http', containerPort: 9090 }] }, 'http')).not.toBe(
      appSettings(c).config.http.port,
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
        expect(['/v1/assets', '/openapi.json', '/console/', '/console/app.js', '/'].every(routed)).toBe(true);
    }
    expect(ingressCovers({ path: '/', pathType: 'Prefix' }, '/metrics')).toBe(true);
    expect(ingressCovers({ path: '/met', pathType: 'Prefix' }, '/metrics')).toBe(false);
  });

  it('subscribes to an external MQTT broker from one pod only, which validates and loads', () => {
    const deployments = byKind(production, 'Deployment');
    const mqtt = deployments.find((d) => target(d) === 'mqtt');
    expect(mqtt?.metadata.name).toBe('plant-mantis-mqtt');
    expect(mqtt?.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    const [c] = mqtt?.spec.template.spec.containers ?? [];
    expect(c.args).toEqual(['run', '--target', 'ingest']);
    expect(c.resources).toMatchObject({
      requests: { cpu: expect.anything() },
      limits: { memory: expect.anything() },
    });
    expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
    const { config } = appSettings(c);
    expect(config.mqtt).toMatchObject({
      url: 'mqtts://mosquitto.data:8883',
      clientId: 'plant-mantis-mqtt',
      listen: 'off',
      username: 'mantis',
      password: 'secret',
    });
    expect(
      byKind(production, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name),
    ).not.toContain('plant-mantis-mqtt');
    expect(byKind(production, 'PodDisruptionBudget').find((b) => target(b) === 'mqtt')?.spec).toMatchObject({
      maxUnavailable: 1,
    });
    const ingest = deployments.find((d) => target(d) === 'ingest');
    const ingestConfig = appSettings(ingest?.spec.template.spec.containers[0]).config;
    expect([ingestConfig.mqtt.url, ingestConfig.mqtt.listen]).toEqual([undefined, 'off']);
    expect(
      byKind(production, 'Service')
        .find((s) => target(s) === 'mqtt')
        ?.spec.ports.map((p: { name: string }) => p.name),
    ).toEqual(['metrics']);
    for (const objects of [rendered['minimal.yaml'], rendered['aws-s3.yaml']])
      expect(byKind(objects, 'Deployment').map(target)).not.toContain('mqtt');
    // Without credentials, and with a chosen client id.
    const plain = render(
      [example('minimal')],
      [
        'mqtt.enabled=true',
        'mqtt.url=mqtt://broker.site:1883',
        'mqtt.clientId=plant-7',
        'mqtt.protocolVersion=3.1.1',
      ],
    );
    const plainPod = byKind(plain, 'Deployment').find((d) => target(d) === 'mqtt');
    const plainConfig = appSettings(plainPod?.spec.template.spec.containers[0]).config;
    expect(plainConfig.mqtt).toMatchObject({
      url: 'mqtt://broker.site:1883',
      clientId: 'plant-7',
      protocolVersion: '3.1.1',
    });
    expect(plainConfig.mqtt.username).toBeUndefined();
    for (const v of validators) expect(plain.flatMap((o) => v.validate(o))).toEqual([]);
  });

  it('bounds the emptyDirs and says at install what is lost with them when s3 and mlflow are off', () => {
    const sized = render([example('minimal')], ['volumes.data.sizeLimit=5Gi']);
    for (const pod of pods(sized))
      expect(pod.spec.volumes.find((v: { name: string }) => v.name === 'data').emptyDir).toEqual({
        sizeLimit: '5Gi',
      });
    const install = (file: string) =>
      helm('install', 'plant', CHART, '--dry-run=client', '--namespace', 'mantis', '-f', example(file))
        .stdout;
    const minimal = install('minimal');
    expect(minimal).toContain(
      's3.enabled is false. Backups and exports are written to file:///var/lib/mantis/objects',
    );
    expect(minimal).toContain('LOST when that pod is deleted');
    expect(minimal).toContain('mlflow.enabled is false. Each pod keeps its own model registry');
    const production = install('production');
    expect(production).not.toContain('s3.enabled is false');
    expect(production).not.toContain('mlflow.enabled is false');
  });
});
