import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { bodyOf, startApp } from './helpers/app.ts';

type Operation = { summary?: string; tags?: string[]; security?: unknown[]; responses?: unknown };

describe('the OpenAPI document', () => {
  let app: MantisApp;
  // biome-ignore lint/suspicious/noExplicitAny: the document is checked against the OpenAPI schema below.
  let doc: any;

  beforeAll(async () => {
    app = await startApp();
    doc = await bodyOf(await fetch(`${app.url}/openapi.json`));
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('describes every operation with a summary, a tag and its bearer security', () => {
    const operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(
      ([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(30);
    for (const { route, op } of operations) {
      expect([route, typeof op.summary, op.tags?.length, op.security]).toEqual([
        route,
        'string',
        1,
        [{ bearer: [] }],
      ]);
    }
  });
});
