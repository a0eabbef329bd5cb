import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricsMarkdown } from './docs.ts';

describe('docs/metrics.md', () => {
  it('is current with the registry (regenerate with node scripts/gen-metrics-docs.ts)', () => {
    const file = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    expect(file).toBe(metricsMarkdown());
  });

  it('lists each metric with its type and labels', () => {
    expect(metricsMarkdown()).toContain(
      '| `http_server_request_duration_seconds` | histogram | `method`, `route`, `status_code` |',
    );
  });
});
