import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { applicationDashboard } from './application.ts';
import { businessDashboard } from './business.ts';
import { databasesDashboard } from './databases.ts';
import { infrastructureDashboard } from './infrastructure.ts';
import { kafkaDashboard } from './kafka.ts';

/** The five dashboards, by the file each is built to under deploy/grafana/dashboards/. */
const BUILDERS = {
  'infrastructure.json': infrastructureDashboard,
  'kafka.json': kafkaDashboard,
  'databases.json': databasesDashboard,
  'application.json': applicationDashboard,
  'business.json': businessDashboard,
};

/** Built dashboards, panels numbered in order and queries lettered A, B… as Grafana expects. */
export function buildDashboards(): Record<string, Dashboard> {
  return Object.fromEntries(
    Object.entries(BUILDERS).map(([file, build]) => {
      const dashboard = build().build();
      dashboard.panels?.forEach((panel, i) => {
        panel.id = i + 1;
        if ('targets' in panel)
          panel.targets?.forEach((target, j) => {
            (target as { refId?: string }).refId ||= String.fromCharCode(65 + j);
          });
      });
      for (const annotation of dashboard.annotations?.list ?? [])
        if (annotation.target) (annotation.target as { refId?: string }).refId ||= 'Anno';
      return [file, dashboard];
    }),
  );
}

export { alertRulesProvisioning } from './alert-rules.ts';
