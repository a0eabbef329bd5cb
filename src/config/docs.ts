import type { ZodType } from 'zod';
import { envName, settingPaths } from './load.ts';
import { configSchema, secretPaths } from './schema.ts';

interface Def {
  innerType?: ZodType;
  shape?: Record<string, ZodType>;
  defaultValue?: unknown;
  type: string;
}

const defOf = (schema: ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Walks to one setting, collecting its description and default on the way through wrappers. */
function describeSetting(path: string): { description: string; defaultValue: unknown; type: string } {
  let schema: ZodType = configSchema;
  let description = '';
  let defaultValue: unknown;
  for (const key of path.split('.')) {
    while (defOf(schema).innerType) schema = defOf(schema).innerType as ZodType;
    schema = (defOf(schema).shape as Record<string, ZodType>)[key];
  }
  for (let s: ZodType | undefined = schema; s; s = defOf(s).innerType) {
    description ||= s.description ?? '';
    if (defOf(s).type === 'default' && defaultValue === undefined) defaultValue = defOf(s).defaultValue;
    if (!defOf(s).innerType) return { description, defaultValue, type: defOf(s).type };
  }
  return { description, defaultValue, type: 'unknown' };
}

/** docs/configuration.md, generated from the schema so that it cannot drift. */
export function configurationMarkdown(): string {
  const rows = settingPaths().map((path) => {
    const { description, defaultValue, type } = describeSetting(path);
    const shown = secretPaths.includes(path)
      ? '*(secret, no default)*'
      : defaultValue === undefined
        ? '—'
        : `\`${Array.isArray(defaultValue) ? defaultValue.join(',') : String(defaultValue)}\``;
    const shownType = type === 'pipe' ? 'list of numbers' : type;
    return `| \`${path}\` | \`${envName(path)}\` | ${shownType} | ${shown} | ${description} |`;
  });
  return [
    '# Configuration',
    '',
    '<!-- Generated from src/config/schema.ts by `node scripts/gen-config-docs.ts`; a test keeps it current. -->',
    '',
    'Every setting comes, by increasing precedence, from its default, `mantis.yaml` (or the file named by',
    '`--config` / `MANTIS_CONFIG`), `.env`, the environment, and command-line flags. In YAML, nest the path:',
    '`pipeline.windowSeconds` is `pipeline: { windowSeconds: 10 }`. An unknown `MANTIS_*` variable or YAML key',
    'is an error. A bad setting stops MANTIS at start-up with one message that lists every bad key and why,',
    'and exit code 2. `mantis config` prints the effective configuration with secrets redacted.',
    '',
    'Adapters are chosen by the scheme of their URL:',
    '',
    '| port | embedded (the default) | production |',
    '| --- | --- | --- |',
    '| bus | `memory:` in-process, bounded | `kafka://host:9092[,host:9092]` |',
    '| database | `pglite://<folder>` or `pglite://memory` | `postgres://` (PostgreSQL, with TimescaleDB when installed) |',
    "| raw store | `database:` (the database's own tables) | `influxdb://` (v1 API) or `influxdb2://` (v2 API) |",
    '| online store | `memory:` | `redis://` or `rediss://` |',
    '| object store | `file://<folder>` | `s3://bucket[/prefix]?endpoint=…` (S3, MinIO) |',
    '',
    '| setting | environment | type | default | description |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
