// Copies the Prometheus rules and the Grafana dashboards into the Helm chart, which can read only files inside
// itself: deploy/prometheus/rules/*.yml → deploy/helm/mantis/files/prometheus-rules/, and
// deploy/grafana/dashboards/*.json → deploy/helm/mantis/files/dashboards/. The copies are checked in;
// test/helm-chart-operations.test.ts fails when one differs from its source. Run after build-dashboards.ts.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const chartFiles = join(root, 'deploy/helm/mantis/files');

/** Each copied folder: source (relative to the repository), destination (relative to the chart's files/), suffix. */
export const helmAssetSources = [
  { from: 'deploy/prometheus/rules', to: 'prometheus-rules', suffix: '.yml' },
  { from: 'deploy/grafana/dashboards', to: 'dashboards', suffix: '.json' },
] as const;

/**
 * The chart's copies as they should be: path under deploy/helm/mantis/files → content, byte for byte the
 * source's. Throws (ENOENT) when a source folder is missing.
 */
export function helmAssets(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { from, to, suffix } of helmAssetSources)
    for (const name of readdirSync(join(root, from))
      .filter((n) => n.endsWith(suffix))
      .sort())
      files[`${to}/${name}`] = readFileSync(join(root, from, name), 'utf8');
  return files;
}

if (import.meta.main) {
  for (const { to } of helmAssetSources) {
    // Emptied first, so that a source removed is removed from the chart too.
    rmSync(join(chartFiles, to), { recursive: true, force: true });
    mkdirSync(join(chartFiles, to), { recursive: true });
  }
  for (const [file, text] of Object.entries(helmAssets())) {
    writeFileSync(join(chartFiles, file), text);
    console.log(`wrote deploy/helm/mantis/files/${file}`);
  }
}
