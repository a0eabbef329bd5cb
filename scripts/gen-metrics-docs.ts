/** Writes docs/metrics.md from the metrics registry. */
import { writeFileSync } from 'node:fs';
import { metricsMarkdown } from '../src/observability/docs.ts';

writeFileSync(new URL('../docs/metrics.md', import.meta.url), metricsMarkdown());
