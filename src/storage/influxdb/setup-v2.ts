import { reasonOf } from './query.ts';
import {
  DEFAULT_LOOK_BACK_MINUTES,
  longTermNameOf,
  type SetupOptions,
  type SetupPlan,
  type SetupStep,
  validateSetup,
} from './setup.ts';
import type { InfluxTarget } from './url.ts';

/**
 * The v2 half of `mantis influx setup`, through InfluxDB 2's HTTP API as documented
 * (docs.influxdata.com/influxdb/v2/api/: /api/v2/orgs, /api/v2/buckets, /api/v2/tasks). The organisation must
 * exist; buckets are made or their retention rules patched; the downsampling task is made or its Flux patched.
 */

interface Bucket {
  id: string;
  name: string;
  retentionRules?: { type: string; everySeconds: number }[];
}

async function api<T>(t: InfluxTarget, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (t.authorization) headers.authorization = t.authorization;
  let response: Response;
  try {
    response = await fetch(`${t.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(t.timeoutMs),
    });
  } catch (err) {
    throw new Error(`InfluxDB at ${t.baseUrl} is unreachable: ${reasonOf(err)}`);
  }
  const text = await response.text();
  if (response.status === 404 && path.startsWith('/api/v2/orgs'))
    throw new Error(
      `InfluxDB ${method} ${path}: HTTP 404: the server has no InfluxDB 2 API (InfluxDB 1.x: use influxdb://host:8086/<db>)`,
    );
  if (!response.ok) throw new Error(`InfluxDB ${method} ${path}: HTTP ${response.status} ${text.trim()}`);
  try {
    return (text ? JSON.parse(text) : {}) as T;
  } catch {
    throw new Error(`InfluxDB ${method} ${path}: the answer is not JSON: ${text.slice(0, 200)}`);
  }
}

/**
 * The Flux of the task that keeps 1-minute mean/min/max/count of readings and samples. Each run aggregates
 * the last `lookBackMinutes` again (late points reach their minute; `to()` overwrites a minute's aggregate).
 * A task's now() is its scheduled time, a whole minute with `every: 1m`, so the windows stay whole minutes.
 */
export function downsampleTaskFlux(
  name: string,
  org: string,
  raw: string,
  longTerm: string,
  lookBackMinutes = DEFAULT_LOOK_BACK_MINUTES,
): string {
  const q = (s: string) => JSON.stringify(s);
  const aggregate = (fn: string) =>
    `data\n  |> aggregateWindow(every: 1m, fn: ${fn}, createEmpty: false)\n` +
    `  |> map(fn: (r) => ({r with _measurement: r._measurement + "_1m", _field: ${q(fn)}, _value: float(v: r._value)}))\n` +
    `  |> to(bucket: ${q(longTerm)}, org: ${q(org)})\n`;
  return [
    `option task = {name: ${q(name)}, every: 1m, offset: 30s}\n`,
    `data = from(bucket: ${q(raw)})\n  |> range(start: -${lookBackMinutes}m)\n` +
      '  |> filter(fn: (r) => (r._measurement == "readings" or r._measurement == "samples") and r._field == "value")\n',
    ...['mean', 'min', 'max', 'count'].map(aggregate),
  ].join('\n');
}

/** Plans the setup of a v2 target (`influxdb2://host?org=&bucket=`): reads the server, changes nothing. */
export async function planV2(t: InfluxTarget, options: SetupOptions): Promise<SetupPlan> {
  validateSetup(t, options);
  const steps: SetupStep[] = [];
  const unchanged: string[] = [];
  const { orgs } = await api<{ orgs?: { id: string; name: string }[] }>(
    t,
    'GET',
    `/api/v2/orgs?${new URLSearchParams({ org: t.org })}`,
  );
  const org = orgs?.find((o) => o.name === t.org);
  if (!org) throw new Error(`InfluxDB organisation ${JSON.stringify(t.org)} not found (org= in the URL)`);
  const longTerm = longTermNameOf(t, options);
  for (const [name, days] of [
    [t.bucket, options.rawDays],
    [longTerm, options.longTermDays],
  ] as const) {
    const retentionRules = days === 0 ? [] : [{ type: 'expire', everySeconds: days * 86_400 }];
    const query = new URLSearchParams({ orgID: org.id, name });
    const { buckets } = await api<{ buckets?: Bucket[] }>(t, 'GET', `/api/v2/buckets?${query}`);
    const found = buckets?.find((b) => b.name === name);
    const seconds = found?.retentionRules?.find((r) => r.type === 'expire')?.everySeconds ?? 0;
    if (!found) {
      const body = { orgID: org.id, name, retentionRules };
      steps.push({
        description: `POST /api/v2/buckets ${JSON.stringify(body)}`,
        apply: () => api(t, 'POST', '/api/v2/buckets', body),
      });
    } else if (seconds !== days * 86_400) {
      const path = `/api/v2/buckets/${found.id}`;
      steps.push({
        description: `PATCH ${path} ${JSON.stringify({ retentionRules })}`,
        apply: () => api(t, 'PATCH', path, { retentionRules }),
      });
    } else unchanged.push(`bucket ${name} (${days} days)`);
  }
  const taskName = `mantis_downsample_1m_${t.bucket}`;
  const flux = downsampleTaskFlux(taskName, t.org, t.bucket, longTerm, options.lookBackMinutes);
  const { tasks } = await api<{ tasks?: { id: string; name: string; flux: string }[] }>(
    t,
    'GET',
    `/api/v2/tasks?${new URLSearchParams({ orgID: org.id, name: taskName })}`,
  );
  const task = tasks?.find((x) => x.name === taskName);
  if (!task) {
    const body = {
      orgID: org.id,
      flux,
      status: 'active',
      description: 'MANTIS: 1-minute aggregates of raw data',
    };
    steps.push({
      description: `POST /api/v2/tasks (${taskName})`,
      apply: () => api(t, 'POST', '/api/v2/tasks', body),
    });
  } else if (task.flux.trim() !== flux.trim()) {
    const path = `/api/v2/tasks/${task.id}`;
    steps.push({
      description: `PATCH ${path} (${taskName}: new Flux)`,
      apply: () => api(t, 'PATCH', path, { flux }),
    });
  } else unchanged.push(`task ${taskName}`);
  return { steps, unchanged };
}
