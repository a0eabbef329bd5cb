import { databaseUrl, redactUrl } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { retry } from '../lib/retry.ts';
import { adapterFor, type StoreKind } from '../storage/adapters.ts';
import { objectStoreUrl } from '../storage/object-stores.ts';
import {
  grafanaProbe,
  influxdbProbe,
  jaegerProbe,
  mqttProbe,
  type Probe,
  readyProbe,
  redisProbe,
  s3Probe,
  zookeeperProbe,
} from './probes.ts';

export interface Check {
  name: string;
  /** Where it is, credentials redacted. */
  endpoint: string;
  probe: Probe;
}

export interface CheckResult {
  name: string;
  endpoint: string;
  ok: boolean;
  detail: string;
  latencyMs: number;
  /** With --wait: milliseconds from the start until the check first passed. */
  readyAfterMs?: number;
}

/** Every dependency the configuration names, in the order a stack starts them. */
export function plannedChecks(config: Config, timeoutMs: number): Check[] {
  const checks: Check[] = [];
  // Names are unique (--wait tracks checks by name): a stack server beside a store of the same engine is `stack-…`.
  const add = (name: string, endpoint: string, probe: Probe) =>
    checks.push({
      name: checks.some((c) => c.name === name) ? `stack-${name}` : name,
      endpoint: redactUrl(endpoint),
      probe,
    });
  const { stack } = config;
  if (stack.zookeeper) add('zookeeper', stack.zookeeper, zookeeperProbe(stack.zookeeper, timeoutMs));
  // The stores and the bus: each adapter says how its server is probed (in-process ones have none).
  const stores: [StoreKind, string][] = [
    ['database', databaseUrl(config)],
    ['bus', config.bus.url],
    ['rawStore', config.rawStore.url],
    ['onlineStore', config.onlineStore.url],
    ['objectStore', objectStoreUrl(config)],
  ];
  for (const [kind, url] of stores) {
    const adapter = adapterFor(kind, url);
    const probe = adapter.probe(url, timeoutMs, { topicPrefix: config.bus.topicPrefix });
    if (probe) add(adapter.name, url, probe);
  }
  if (config.mqtt.url)
    add(
      'mqtt',
      config.mqtt.url,
      mqttProbe(config.mqtt.url, config.mqtt.username, config.mqtt.password, timeoutMs),
    );
  // A stack server that is also a store is probed once, by the store's check above.
  const sameServer = (a: string, b: string) => a.replace(/\/0?$/, '') === b.replace(/\/0?$/, '');
  if (stack.redisUrl && !sameServer(stack.redisUrl, config.onlineStore.url))
    add('redis', stack.redisUrl, redisProbe(stack.redisUrl, timeoutMs));
  if (stack.influxdbUrl) add('influxdb', stack.influxdbUrl, influxdbProbe(stack.influxdbUrl));
  if (stack.s3Url && stack.s3Url !== objectStoreUrl(config))
    add('s3', stack.s3Url, s3Probe(stack.s3Url, stack.s3AccessKeyId, stack.s3SecretAccessKey));
  if (stack.mlflowUrl) add('mlflow', stack.mlflowUrl, readyProbe(stack.mlflowUrl, '/health'));
  if (stack.prometheusUrl)
    add('prometheus', stack.prometheusUrl, readyProbe(stack.prometheusUrl, '/-/ready'));
  if (stack.alertmanagerUrl)
    add('alertmanager', stack.alertmanagerUrl, readyProbe(stack.alertmanagerUrl, '/-/ready'));
  if (stack.grafanaUrl) add('grafana', stack.grafanaUrl, grafanaProbe(stack.grafanaUrl));
  if (stack.jaegerUrl) add('jaeger', stack.jaegerUrl, jaegerProbe(stack.jaegerUrl));
  return checks;
}

/** The error and its first cause ("fetch failed: connect ECONNREFUSED …"), on one line. */
function messageOf(err: unknown): string {
  const e = err as Error & { code?: string; errors?: Error[]; cause?: Error & { errors?: Error[] } };
  const inner = e.errors?.[0] ?? e.cause?.errors?.[0] ?? e.cause;
  const outer = (e.message || e.code || String(err)).replace(/\.$/, '');
  const text = inner?.message && !outer.includes(inner.message) ? `${outer}: ${inner.message}` : outer;
  return text.split('\n')[0];
}

/** Runs one check, bounded by the timeout whatever the probe does. */
export async function runCheck(check: Check, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(Math.max(1, Math.round(timeoutMs)));
  const timedOut = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(new Error(`no answer within ${timeoutMs} ms`)), {
      once: true,
    }),
  );
  const base = { name: check.name, endpoint: check.endpoint };
  try {
    const detail = await Promise.race([check.probe(signal), timedOut]);
    return { ...base, ok: true, detail, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ...base, ok: false, detail: messageOf(err), latencyMs: Math.round(performance.now() - started) };
  }
}

export const runChecks = (checks: Check[], timeoutMs: number) =>
  Promise.all(checks.map((c) => runCheck(c, timeoutMs)));

export interface WaitOptions {
  timeoutMs: number;
  probeTimeoutMs: number;
  /** Wait between rounds (ms): from `baseMs` (jittered), doubling up to `maxMs`; 1 s and 5 s by default. */
  backoff?: { baseMs: number; maxMs: number };
  /** Called after each round with the latest result of every check. */
  onRound?: (results: CheckResult[]) => void;
}

/** Some dependency has not answered yet: another round is due. */
class NotReady extends Error {}

/**
 * Checks again, with backoff and jitter between rounds (lib/retry.ts), until every dependency has answered
 * once or `timeoutMs` is spent; each result keeps when its dependency first became ready (a dependency is
 * not checked again once it was).
 */
export async function waitForReady(
  checks: Check[],
  o: WaitOptions,
): Promise<{ results: CheckResult[]; elapsedMs: number }> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const latest = new Map<string, CheckResult>();
  const results = () => checks.map((c) => latest.get(c.name) as CheckResult);
  const round = async () => {
    const pending = checks.filter((c) => !latest.get(c.name)?.ok);
    const remaining = o.timeoutMs - (performance.now() - started);
    const answers = await runChecks(pending, Math.max(1, Math.round(Math.min(o.probeTimeoutMs, remaining))));
    for (const r of answers) latest.set(r.name, r.ok ? { ...r, readyAfterMs: elapsed() } : r);
    o.onRound?.(results());
    if (results().some((r) => !r.ok)) throw new NotReady();
  };
  await retry(round, {
    isTransient: (err) => err instanceof NotReady,
    maxAttempts: 1,
    ...(o.backoff ?? { baseMs: 1_000, maxMs: 5_000 }),
    budgetMs: o.timeoutMs,
  }).catch((err) => {
    if (!(err instanceof NotReady)) throw err;
  });
  return { results: results(), elapsedMs: elapsed() };
}
