import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  appSettings,
  byKind,
  bytes,
  CHART,
  containerPort,
  cores,
  example,
  examples,
  helm,
  helmToolsAvailable,
  KUBERNETES_SCHEMAS,
  OPERATOR_CRDS,
  pods,
  render,
  renderExamples,
  runs,
  TARGETS,
  target,
} from './helpers/helm.ts';
import { kubeValidator, strictVersions } from './helpers/kube-schemas.ts';

/**
 * What the pods of the Helm chart deploy/helm/mantis need: the target each runs, probes and resources
 * from the compose stack, a locked-down context, settings the real MANTIS loader accepts, secrets from
 * existing Secrets, the migration Job, bounded writable volumes and the MQTT subscriber.
 */

const root = resolve(import.meta.dirname, '..');
/** Names outside MANTIS_* that the chart sets, each read by MANTIS (checked against src/). */
const OTHER_ENV = [
  'INFLUX_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
];
/** The TypeScript sources under a folder, test files left out, as one text. */
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

describe.runIf(tools.available)('the pods of the Helm chart deploy/helm/mantis', () => {
  const versions = strictVersions(KUBERNETES_SCHEMAS).slice(-2);
  const validators = versions.map((v) => kubeValidator(KUBERNETES_SCHEMAS, v, OPERATOR_CRDS));
  const rendered = renderExamples();
  const production = rendered['production.yaml'];

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
