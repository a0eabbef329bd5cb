import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { type ZodType, z } from 'zod';
import { type Config, configSchema, secretPaths } from './schema.ts';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const ENV_PREFIX = 'MANTIS_';

/** Strips default/optional/prefault wrappers to reach the object or leaf type. */
function unwrap(schema: ZodType): ZodType {
  let s = schema as ZodType & { _zod: { def: { innerType?: ZodType; type: string } } };
  while (s._zod.def.innerType) s = s._zod.def.innerType as typeof s;
  return s;
}

/** Dotted path of every leaf setting, e.g. "pipeline.windowSeconds". */
export function settingPaths(schema: ZodType = configSchema, prefix = ''): string[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape).flatMap(([key, child]) =>
      settingPaths(child as ZodType, prefix ? `${prefix}.${key}` : key),
    );
  }
  return [prefix];
}

/** pipeline.windowSeconds → MANTIS_PIPELINE_WINDOW_SECONDS */
export function envName(path: string): string {
  return (
    ENV_PREFIX +
    path
      .replace(/\./g, '_')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toUpperCase()
  );
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function getPath(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], source);
}

export interface ConfigSources {
  /** Process environment; MANTIS_* keys are read, unknown MANTIS_* keys are errors. */
  env?: Record<string, string | undefined>;
  /** Contents of mantis.yaml, or its path. */
  yamlFile?: string;
  /** Path of a .env file; its values never override the environment. */
  dotenvFile?: string;
  /** Highest-precedence values, by dotted path (command-line flags). */
  overrides?: Record<string, unknown>;
}

/**
 * Builds the configuration from defaults < mantis.yaml < .env < environment < overrides.
 * Throws ConfigError listing every bad key at once.
 */
export function loadConfig(sources: ConfigSources = {}): Config {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  const paths = settingPaths();
  const byEnv = new Map(paths.map((p) => [envName(p), p]));

  if (sources.yamlFile && existsSync(sources.yamlFile)) {
    try {
      const doc = parseYaml(readFileSync(sources.yamlFile, 'utf8')) ?? {};
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('top level must be a mapping');
      Object.assign(raw, doc);
    } catch (err) {
      problems.push(`${sources.yamlFile}: ${(err as Error).message}`);
    }
  }

  const env: Record<string, string | undefined> = {};
  if (sources.dotenvFile && existsSync(sources.dotenvFile)) {
    Object.assign(env, parseDotenv(readFileSync(sources.dotenvFile)));
  }
  Object.assign(env, sources.env ?? {});
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined) continue;
    const path = byEnv.get(name);
    if (path) setPath(raw, path, value);
    else if (!IGNORED_ENV.has(name)) problems.push(`${name}: unknown setting`);
  }
  for (const [path, value] of Object.entries(sources.overrides ?? {})) {
    if (value !== undefined) setPath(raw, path, value);
  }

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      const unknownKeys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.join(', ')}` : '';
      problems.push(`${envName(path)} (${path || 'root'}):${unknownKeys} ${issue.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data as Config;
}

/** Environment names under the prefix that are read elsewhere, not settings. */
const IGNORED_ENV = new Set(['MANTIS_REQUIRE_INFRA', 'MANTIS_CONFIG', 'MANTIS_TOKEN']);

/** A URL with its password replaced: postgres://mantis:<redacted>@db/mantis. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:<redacted>@');
}

/** The configuration with secrets and URL passwords replaced, for printing. */
export function redact(config: Config): Config {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const path of settingPaths()) {
    const value = getPath(copy, path);
    if (value === undefined) continue;
    if (secretPaths.includes(path)) setPath(copy, path, '<redacted>');
    else if (typeof value === 'string') setPath(copy, path, redactUrl(value));
  }
  return copy as unknown as Config;
}

/** The database URL after defaults that depend on other settings. */
export function databaseUrl(config: Config): string {
  return config.database.url ?? `pglite://${config.dataDir}/pg`;
}
