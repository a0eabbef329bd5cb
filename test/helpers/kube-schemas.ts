import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { KubeObject } from './helm.ts';

type Schema = Record<string, unknown>;

/**
 * The Kubernetes versions whose strict schemas (no additional properties) the schema folder holds, newest
 * last, e.g. ['1.36.0', '1.37.0']: kubernetes-validate names its folders v<version>-local-strict.
 */
export function strictVersions(schemaRoot: string): string[] {
  const byVersion = (a: string, b: string) => {
    const [x, y] = [a, b].map((v) => v.split('.').map(Number));
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  };
  return readdirSync(schemaRoot)
    .map((name) => /^v(\d+\.\d+\.\d+)-local-strict$/.exec(name)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort(byVersion);
}

/**
 * A CRD version's openAPIV3Schema as strict JSON Schema 2020-12, following the structural-schema rules of
 * apiextensions.k8s.io/v1 (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema):
 * `nullable` adds "null" to the type, x-kubernetes-int-or-string admits an integer or a string, an object with
 * `properties` and no `additionalProperties` prunes unknown fields on the server and so rejects them here,
 * unless x-kubernetes-preserve-unknown-fields keeps them. CEL rules (x-kubernetes-validations) are not evaluated.
 */
export function crdToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(crdToJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const source = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable') continue;
    if (key === 'properties' || key === 'patternProperties')
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([name, schema]) => [name, crdToJsonSchema(schema)]),
      );
    else if (['items', 'additionalProperties', 'not', 'anyOf', 'allOf', 'oneOf'].includes(key))
      out[key] = typeof value === 'object' ? crdToJsonSchema(value) : value;
    else out[key] = value;
  }
  if (source['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf ??= [{ type: 'integer' }, { type: 'string' }];
  }
  if (source.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (
    out.type === 'object' &&
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    source['x-kubernetes-preserve-unknown-fields'] !== true
  )
    out.additionalProperties = false;
  return out;
}

const DEFINITIONS_ID = 'https://kubernetes.io/api/_definitions.json';

/** One custom resource's schema: the CRD file, group/version/kind taken from it. */
function crdSchemas(crdFolder: string): Map<string, Schema> {
  const schemas = new Map<string, Schema>();
  for (const file of readdirSync(crdFolder).filter((f) => f.endsWith('.yaml'))) {
    const crd = parse(readFileSync(join(crdFolder, file), 'utf8'));
    for (const version of crd.spec.versions) {
      const apiVersion = `${crd.spec.group}/${version.name}`;
      const schema = crdToJsonSchema(version.schema.openAPIV3Schema) as Schema & { properties: Schema };
      // The server checks metadata as an ObjectMeta; the CRD's schema says only "object".
      schema.properties.metadata = {
        $ref: `${DEFINITIONS_ID}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`,
      };
      schema.properties.apiVersion = { const: apiVersion };
      schema.properties.kind = { const: crd.spec.names.kind };
      schema.required = [
        ...new Set([...((schema.required as string[]) ?? []), 'apiVersion', 'kind', 'metadata']),
      ];
      schemas.set(`${apiVersion} ${crd.spec.names.kind}`, schema);
    }
  }
  return schemas;
}

/** int32, int64, double and byte are OpenAPI formats that Kubernetes' schemas use. */
function addKubernetesFormats(ajv: Ajv2020) {
  addFormats.default(ajv, ['date-time']);
  const int = (bits: number) => (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** (bits - 1);
  ajv.addFormat('int32', { type: 'number', validate: int(32) });
  ajv.addFormat('int64', { type: 'number', validate: int(64) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
}

/**
 * Patterns as the API server reads them (Go's RE2): (?i) there is a flag for the rest of the pattern, which
 * JavaScript's RegExp does not accept inline; the CRDs use it only before any case-sensitive part.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string) =>
    pattern.includes('(?i)')
      ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`)
      : new RegExp(pattern, flags),
  { code: 'goRegExp' },
);

export interface KubeValidator {
  version: string;
  /** The problems of one object, as "path: message" lines; empty when valid. An unknown kind is a problem. */
  validate(object: KubeObject): string[];
}

/**
 * A validator for one Kubernetes version: built-in kinds against kubernetes-validate's strict schemas of that
 * version (file <kind>-<group>-<version>.json, the group cut at its first dot, as kubernetes-validate finds
 * them), custom resources against the CRDs in crdFolder.
 */
export function kubeValidator(schemaRoot: string, version: string, crdFolder: string): KubeValidator {
  const folder = join(schemaRoot, `v${version}-local-strict`);
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateFormats: true,
    code: { regExp: goRegExp },
  });
  addKubernetesFormats(ajv);
  ajv.addSchema(JSON.parse(readFileSync(join(folder, '_definitions.json'), 'utf8')));
  const crds = crdSchemas(crdFolder);
  const compiled = new Map<string, ValidateFunction | null>();
  const schemaFor = (object: KubeObject): ValidateFunction | null => {
    const key = `${object.apiVersion} ${object.kind}`;
    if (!compiled.has(key)) {
      const crd = crds.get(key);
      const file = `${object.kind.toLowerCase()}-${object.apiVersion.replace(/^([^./]*)(?:\.[^/]*)?\//, '$1-')}.json`;
      let schema: Schema | undefined = crd;
      if (!schema) {
        try {
          schema = JSON.parse(readFileSync(join(folder, file), 'utf8'));
        } catch {
          schema = undefined;
        }
      }
      compiled.set(
        key,
        schema
          ? ajv.compile(crd ? { ...schema, $id: `https://crd.invalid/${key.replace(' ', '/')}` } : schema)
          : null,
      );
    }
    return compiled.get(key) ?? null;
  };
  const describe = (e: ErrorObject) =>
    `${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`;
  return {
    version,
    validate(object) {
      const check = schemaFor(object);
      if (!check) return [`no schema for ${object.apiVersion} ${object.kind} in Kubernetes ${version}`];
      return check(object) ? [] : (check.errors ?? []).map(describe);
    },
  };
}

/*
 * What the API server checks beyond the OpenAPI schemas (k8s.io/apimachinery/pkg/util/validation): names,
 * label keys and values, annotation keys, and (k8s.io/kubernetes/pkg/apis/core/validation) a Service's ports
 * and a container's image and port names. The image grammar is github.com/distribution/reference's.
 */
const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*$`);
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]?$/;
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?|\\[[a-fA-F0-9:]+\\](?::[0-9]+)?)';
const IMAGE = new RegExp(
  `^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);

/** Problems of a label or annotation key ([DNS subdomain prefix/]name, name at most 63). */
function keyProblem(key: string): string | null {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (slash >= 0 && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return 'prefix not a DNS subdomain';
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) return 'name not a qualified name';
  return null;
}

interface PodSpec {
  containers: { name: string; image: string; ports?: { name?: string }[]; env?: { name: string }[] }[];
}

/**
 * The problems the API server would refuse the object for, beyond its schema, as "path: message" lines:
 * metadata.name (a DNS-1035 label for a Service, a DNS-1123 subdomain otherwise), every label and annotation
 * (metadata, selector, pod template), a Service's duplicate port numbers or names, a container's image
 * reference, port names (IANA service names, at most 15) and duplicate env names (accepted by the server,
 * but the last silently wins).
 */
export function apiServerProblems(object: KubeObject): string[] {
  const problems: string[] = [];
  const { name } = object.metadata;
  if (object.kind === 'Service' ? !DNS_1035_LABEL.test(name) || name.length > 63 : !DNS_SUBDOMAIN.test(name))
    problems.push(`/metadata/name: ${JSON.stringify(name)} is not a valid ${object.kind} name`);
  const spec = object.spec ?? {};
  const template = spec.jobTemplate?.spec?.template ?? spec.template;
  const labelSets: [string, Record<string, string> | undefined][] = [
    ['/metadata/labels', object.metadata.labels],
    ['/spec/selector/matchLabels', spec.selector?.matchLabels],
    ['/spec/template/metadata/labels', template?.metadata?.labels],
  ];
  if (object.kind === 'Service') labelSets.push(['/spec/selector', spec.selector]);
  for (const [path, labels] of labelSets)
    for (const [key, value] of Object.entries(labels ?? {})) {
      const problem = keyProblem(key);
      if (problem) problems.push(`${path}: key ${JSON.stringify(key)}: ${problem}`);
      if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value))
        problems.push(`${path}/${key}: ${JSON.stringify(value)} is not a label value`);
    }
  for (const [path, annotations] of [
    ['/metadata/annotations', object.metadata.annotations],
    ['/spec/template/metadata/annotations', template?.metadata?.annotations],
  ] as const)
    for (const key of Object.keys(annotations ?? {})) {
      const problem = keyProblem(key);
      if (problem) problems.push(`${path}: key ${JSON.stringify(key)}: ${problem}`);
    }
  if (object.kind === 'Service') {
    const ports: { name?: string; port: number; protocol?: string }[] = spec.ports ?? [];
    const numbers = ports.map((p) => `${p.port}/${p.protocol ?? 'TCP'}`);
    const names = ports.map((p) => p.name ?? '');
    for (const [what, list] of [
      ['port', numbers],
      ['port name', names],
    ] as const)
      for (const dup of new Set(list.filter((x, i) => list.indexOf(x) !== i)))
        problems.push(`/spec/ports: duplicate ${what} ${dup}`);
  }
  const pod: PodSpec | undefined = template?.spec;
  for (const [i, c] of (pod?.containers ?? []).entries()) {
    if (!IMAGE.test(c.image) || c.image.length > 4096)
      problems.push(
        `/spec/template/spec/containers/${i}/image: ${JSON.stringify(c.image)} is not an image reference`,
      );
    for (const port of c.ports ?? [])
      if (port.name !== undefined && (port.name.length > 15 || !IANA_SVC_NAME.test(port.name)))
        problems.push(
          `/spec/template/spec/containers/${i}/ports: ${JSON.stringify(port.name)} is not a port name`,
        );
    const env = (c.env ?? []).map((e) => e.name);
    for (const dup of new Set(env.filter((x, j) => env.indexOf(x) !== j)))
      problems.push(`/spec/template/spec/containers/${i}/env: ${dup} is set twice (the last wins)`);
  }
  return problems;
}
