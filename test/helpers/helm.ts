import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type Availability, executableAvailable, requireInfra } from './infra.ts';

/** What scripts/stack/helm-tools.sh installs under ~/.cache/mantis/lint (MANTIS_LINT_DIR elsewhere). */
const lint = process.env.MANTIS_LINT_DIR ?? join(homedir(), '.cache/mantis/lint');
export const HELM = join(lint, 'bin/helm');
export const KUBERNETES_SCHEMAS = join(lint, 'kubernetes-json-schema');
export const OPERATOR_VERSION = '0.95.2';
export const OPERATOR_CRDS = join(lint, `crds/prometheus-operator-v${OPERATOR_VERSION}`);
export const CHART = resolve(import.meta.dirname, '../../deploy/helm/mantis');

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
