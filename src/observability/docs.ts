import { createMetrics } from './metrics.ts';

/** docs/metrics.md: every metric MANTIS exports, from the one file that names them. */
export function metricsMarkdown(): string {
  const { registry } = createMetrics();
  const rows = registry
    .getMetricsAsArray()
    .filter((m) => !/^mantis_(process|nodejs)_/.test(m.name))
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
    'prefix `mantis_`: `mantis_process_*` (CPU, memory, open files, start time) and `mantis_nodejs_*` (event loop',
    'lag, heap, garbage collection, active handles).',
    '',
    '| metric | type | labels | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
