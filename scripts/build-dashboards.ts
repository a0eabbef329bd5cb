// Builds the Grafana dashboards and alert rules written in TypeScript under dashboards/ into the JSON that
// deploy/grafana provisions. The output is checked in; test/dashboards.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { alertRulesProvisioning, buildDashboards } from '../dashboards/index.ts';

const grafana = resolve(import.meta.dirname, '../deploy/grafana');
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function builtFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [file, dashboard] of Object.entries(buildDashboards()))
    files[`dashboards/${file}`] = json(dashboard);
  files['provisioning/alerting/business-kpis.json'] = json(alertRulesProvisioning());
  return files;
}

if (import.meta.main) {
  for (const [file, text] of Object.entries(builtFiles())) {
    writeFileSync(join(grafana, file), text);
    console.log(`wrote deploy/grafana/${file}`);
  }
}
