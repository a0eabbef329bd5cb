import { createMetrics } from './metrics.ts';

/** docs/metrics.md: every metric MANTIS exports, from the one file that names them. */
export function metricsMarkdown(): string {
  const { registry } = createMetrics();
  const rows = registry
    .getMetricsAsArray()
    .filter((m) => !m.name.startsWith('mantis_process_'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => {
      const { labelNames = [] } = m as unknown as { labelNames?: string[] };
      const type = m.constructor.name.toLowerCase();
      return `| \`${m.name}\` | ${type} | ${labelNames.map((l) => `\`${l}\``).join(', ') || '—'} | ${m.help} |`;
    });
  return [
    '# Metrics',
    '',
    'Every metric MANTIS exports at `/metrics` on every target, generated from `src/observability/metrics.ts`',
    '(`node scripts/gen-metrics-docs.ts`). Besides these, the Node.js process metrics of prom-client carry the',
    'prefix `mantis_process_` (CPU, memory, event loop lag, garbage collection, open handles).',
    '',
    '| metric | type | labels | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
