import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { type Availability, executableAvailable, requireInfra } from './infra.ts';

/** What scripts/stack/helm-tools.sh installs under ~/.cache/mantis/lint (MANTIS_LINT_DIR elsewhere). */
const lint = process.env.MANTIS_LINT_DIR ?? join(homedir(), '.cache/mantis/lint');
export const HELM = join(lint, 'bin/helm');
export const KUBERNETES_SCHEMAS = join(lint, 'kubernetes-json-schema');
export const OPERATOR_VERSION = '0.95.2';
export const OPERATOR_CRDS = join(lint, `crds/prometheus-operator-v${OPERATOR_VERSION}`);
export const CHART = resolve(import.meta.dirname, '../../deploy/helm/mantis');

/** The chart's example values files (`minimal.yaml`, `production.yaml`, …) and the folder they are in. */
export const examplesDir = join(CHART, 'examples');
export const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'));
/** The path of an example values file by name: `example('minimal')`. */
export const example = (name: string) => join(examplesDir, `${name}.yaml`);
/** The MANTIS targets the chart runs, one Deployment each, in the order it renders them. */
export const TARGETS = ['ingest', 'process', 'api', 'etl'];

/** Helm, the schemas and the CRDs; skips the suite, or fails it with MANTIS_REQUIRE_INFRA=1, when one lacks. */
export async function helmToolsAvailable(): Promise<Availability> {
  const helm = await executableAvailable(HELM);
  if (!helm.available) return helm;
  for (const path of [
    KUBERNETES_SCHEMAS,
    join(OPERATOR_CRDS, 'monitoring.coreos.com_servicemonitors.yaml'),
  ]) {
    if (existsSync(path)) continue;
    const reason = `${path} missing`;
    if (requireInfra) throw new Error(`${reason} (MANTIS_REQUIRE_INFRA=1; run scripts/stack/lint-tools.sh)`);
    process.stderr.write(`skipping: ${reason}; run scripts/stack/lint-tools.sh to include this suite\n`);
    return { available: false, reason };
  }
  return { available: true, reason: '' };
}

export interface HelmResult {
  code: number | null;
  /** stdout and stderr together, for messages. */
  out: string;
  stdout: string;
}

/** Runs helm with the given arguments in the repository. */
export function helm(...args: string[]): HelmResult {
  const r = spawnSync(HELM, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

/** A rendered Kubernetes object (only the fields every object has are typed). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked against their schemas, not typed.
  spec?: any;
  data?: Record<string, string>;
  automountServiceAccountToken?: boolean;
}

/**
 * `helm template` of the chart with the given values files and `--set` pairs, in namespace "mantis".
 * Returns the objects, or throws with Helm's message when it cannot render.
 */
export function render(valuesFiles: string[], set: string[] = []): KubeObject[] {
  const result = helm(
    'template',
    'plant',
    CHART,
    '--namespace',
    'mantis',
    ...valuesFiles.flatMap((f) => ['-f', f]),
    ...set.flatMap((s) => ['--set', s]),
  );
  if (result.code !== 0) throw new Error(result.out);
  return parseAllDocuments(result.stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}

/** Every example rendered by render(), by file name (`production.yaml`). Throws as render() does. */
export function renderExamples(): Record<string, KubeObject[]> {
  return Object.fromEntries(examples.map((f) => [f, render([join(examplesDir, f)])]));
}

/** The objects of one kind (`Deployment`), in the order they were rendered. */
export const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
/** The component an object belongs to: its app.kubernetes.io/component label (`api`, `mqtt`). */
export const target = (o: KubeObject) => o.metadata.labels?.['app.kubernetes.io/component'];
/** The target a Deployment runs: the mqtt subscriber is the ingest target. */
export const runs = (component: string | undefined) => (component === 'mqtt' ? 'ingest' : component);

/** CPU in cores and memory in bytes, from a Kubernetes quantity or a Compose value (M and G are binary there). */
export const cores = (q: string | number) =>
  String(q).endsWith('m') ? Number.parseFloat(String(q)) / 1000 : Number(q);
/** Throws when `q` is not a number with an optional Ki, Mi, Gi, K, M or G suffix. */
export const bytes = (q: string | number) => {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(String(q));
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
};

/** A container as rendered (the fields the pod checks read). */
// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked against their schemas, not typed.
type Container = any;

/** A pod template of a Deployment or Job: its owner, the component label and the pod spec. */
export interface RenderedPod {
  owner: KubeObject;
  component: string;
  labels: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  spec: any;
}

/** The pod templates of every Deployment and Job among the objects. */
export function pods(objects: KubeObject[]): RenderedPod[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((owner) => ({
      owner,
      component: owner.metadata.labels?.['app.kubernetes.io/component'] ?? '',
      labels: owner.spec.template.metadata.labels,
      spec: owner.spec.template.spec,
    }));
}

/**
 * Values standing in for env entries read from a Secret (valueFrom), by name: the shape MANTIS checks, so the
 * real loader accepts them. A name not listed here fails appSettings, so a new secret entry gets a stand-in.
 */
const SECRET_STANDINS: Record<string, string> = {
  MANTIS_DATABASE_URL: 'postgres://mantis:secret@postgres.data:5432/mantis',
  MANTIS_INGEST_TOKEN: 'mnt_0123456789abcdef0123456789abcdef',
  MANTIS_ONLINE_STORE_URL: 'redis://:secret@redis.data:6379',
  MANTIS_ML_TRACKING_URL: 'http://mlflow.ml:5000',
  MANTIS_MQTT_USERNAME: 'mantis',
  MANTIS_MQTT_PASSWORD: 'secret',
  INFLUX_TOKEN: 'influx-token',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
};

/**
 * The container's environment as MANTIS reads it: every entry's name and value (a stand-in for a Secret's),
 * then the configuration src/config/load.ts builds from it. Throws ConfigError (listing every problem, e.g.
 * "MANTIS_KAFKA_PARTITIONS: unknown setting") as MANTIS does at start, where it exits 2.
 */
export function appSettings(container: Container): { env: Record<string, string>; config: Config } {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.secretKeyRef) {
      const standIn = SECRET_STANDINS[e.name];
      if (standIn === undefined) throw new Error(`${e.name}: no stand-in for its Secret value`);
      env[e.name] = standIn;
    } else throw new Error(`${e.name}: neither value nor secretKeyRef`);
  }
  return { env, config: loadConfig({ env }) };
}

/** The number of a container port given by number or by name; undefined when the container has no such port. */
export function containerPort(container: Container, port: number | string): number | undefined {
  const ports: { name?: string; containerPort: number }[] = container.ports ?? [];
  return typeof port === 'number'
    ? ports.find((p) => p.containerPort === port)?.containerPort
    : ports.find((p) => p.name === port)?.containerPort;
}

/** The fewest pods a Deployment runs: its HPA's minReplicas when one scales it, else spec.replicas (default 1). */
export function effectiveMinReplicas(deployment: KubeObject, objects: KubeObject[]): number {
  const hpa = objects.find(
    (o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === deployment.metadata.name,
  );
  return hpa ? (hpa.spec.minReplicas ?? 1) : (deployment.spec.replicas ?? 1);
}

/**
 * Evictions a PodDisruptionBudget allows with `replicas` healthy pods, as the disruption controller counts them
 * (k8s.io/kubernetes/pkg/controller/disruption: percentages of the expected count, rounded up).
 */
export function disruptionsAllowed(pdb: KubeObject, replicas: number): number {
  const scaled = (v: number | string) =>
    typeof v === 'number' ? v : Math.ceil((Number.parseInt(v, 10) * replicas) / 100);
  const { minAvailable, maxUnavailable } = pdb.spec;
  if (minAvailable !== undefined) return replicas - scaled(minAvailable);
  return Math.min(replicas, scaled(maxUnavailable));
}

/**
 * Whether an Ingress path routes `request` (a request path) to its backend, as networking.k8s.io/v1 defines
 * matching: Exact compares the whole path, Prefix compares element by element split on "/".
 */
export function ingressCovers(path: { path: string; pathType: string }, request: string): boolean {
  if (path.pathType === 'Exact') return path.path === request;
  const elements = (p: string) => p.split('/').filter(Boolean);
  const [prefix, target] = [elements(path.path), elements(request)];
  return prefix.length <= target.length && prefix.every((e, i) => e === target[i]);
}
