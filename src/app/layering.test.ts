import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../', import.meta.url).pathname;

/** Every non-test TypeScript file under src/<folder>, recursively. */
function sources(folder: string): string[] {
  return readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(folder, f));
}

const importsOf = (file: string): string[] =>
  [...readFileSync(join(SRC, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);

/** Adapters: only the composition root (app, cli, doctor) and the adapter registry may import them. */
const ADAPTER = /\/storage\/(postgres|memory|influxdb|redis|s3|file)\/|\/bus\/(kafka|memory)\.ts$/;

describe('layering', () => {
  it.each(['api', 'pipeline', 'domain', 'ingest', 'etl', 'diagnostics'])(
    'src/%s reaches storage and the bus through their ports only',
    (folder) => {
      const offending = sources(folder).flatMap((file) =>
        importsOf(file)
          .filter((spec) => ADAPTER.test(spec))
          .map((spec) => `${file} → ${spec}`),
      );
      expect(offending).toEqual([]);
    },
  );

  it.each(['domain', 'diagnostics'])('src/%s is pure: it imports no I/O library', (folder) => {
    const io =
      /^(node:(fs|net|http|https|child_process)|pg|fastify|redis|@aws-sdk|@platformatic|mqtt|undici)/;
    const offending = sources(folder).flatMap((file) =>
      importsOf(file)
        .filter((spec) => io.test(spec))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
