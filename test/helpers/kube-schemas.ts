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
