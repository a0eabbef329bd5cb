import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  byKind,
  CHART,
  example,
  examples,
  examplesDir,
  HELM,
  helm,
  helmToolsAvailable,
  KUBERNETES_SCHEMAS,
  OPERATOR_CRDS,
  renderExamples,
} from './helpers/helm.ts';
import { apiServerProblems, kubeValidator, strictVersions } from './helpers/kube-schemas.ts';

/**
 * The Helm chart deploy/helm/mantis passes helm lint, renders every example into objects the strict
 * schemas of two Kubernetes versions and the API server's own rules accept, and refuses bad values by
 * name. What its pods need is checked in helm-chart-pods.test.ts; scaling, traffic and monitoring in
 * helm-chart-operations.test.ts.
 */

const tools = await helmToolsAvailable();

describe.runIf(tools.available)('the Helm chart deploy/helm/mantis', () => {
  const versions = strictVersions(KUBERNETES_SCHEMAS).slice(-2);
  const validators = versions.map((v) => kubeValidator(KUBERNETES_SCHEMAS, v, OPERATOR_CRDS));
  const rendered = renderExamples();
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
});
