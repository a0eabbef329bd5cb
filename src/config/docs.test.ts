import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configurationMarkdown } from './docs.ts';

describe('docs/configuration.md', () => {
  it('is current with the schema (regenerate with node scripts/gen-config-docs.ts)', () => {
    const file = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(file).toBe(configurationMarkdown());
  });

  it('documents every setting with its environment name and default', () => {
    const doc = configurationMarkdown();
    expect(doc).toContain('| `pipeline.windowSeconds` | `MANTIS_PIPELINE_WINDOW_SECONDS` | number | `10` |');
    expect(doc).toContain('| `ingest.token` | `MANTIS_INGEST_TOKEN` | string | *(secret, no default)* |');
  });
});
