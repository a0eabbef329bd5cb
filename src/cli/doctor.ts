import type { Config } from '../config/schema.ts';
import { type CheckResult, plannedChecks, runChecks, waitForReady } from '../doctor/doctor.ts';

export interface DoctorOptions {
  wait?: boolean;
  /** Seconds: for the whole wait with --wait, per check without. */
  timeout: number;
  json?: boolean;
}

/** A plain aligned table: the columns are few and short, no library needed. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function doctorTable(results: CheckResult[], waited: boolean): string {
  const header = [
    'dependency',
    'status',
    'latency',
    ...(waited ? ['ready after'] : []),
    'endpoint',
    'detail',
  ];
  const rows = results.map((r) => [
    r.name,
    r.ok ? 'ok' : 'DOWN',
    `${r.latencyMs} ms`,
    ...(waited ? [r.readyAfterMs === undefined ? '—' : `${(r.readyAfterMs / 1000).toFixed(1)} s`] : []),
    r.endpoint,
    r.detail,
  ]);
  return table([header, ...rows]);
}

/** Runs `mantis doctor`; returns the exit code (0 all ready, 1 something down). */
export async function doctor(config: Config, o: DoctorOptions): Promise<number> {
  const probeTimeoutMs = o.wait ? 5_000 : o.timeout * 1000;
  const checks = plannedChecks(config, probeTimeoutMs);
  // Progress on stderr whenever the set of dependencies still awaited changes.
  let awaited = '';
  const onRound = (round: CheckResult[]) => {
    const pending = round.filter((r) => !r.ok);
    const names = pending.map((r) => r.name).join(', ');
    if (pending.length > 0 && names !== awaited)
      process.stderr.write(`waiting for ${pending.map((r) => `${r.name} (${r.detail})`).join('; ')}\n`);
    awaited = names;
  };
  const { results, elapsedMs } = o.wait
    ? await waitForReady(checks, { timeoutMs: o.timeout * 1000, probeTimeoutMs, onRound })
    : { results: await runChecks(checks, probeTimeoutMs), elapsedMs: 0 };
  const down = results.filter((r) => !r.ok);
  if (o.json) {
    const report = {
      ok: down.length === 0,
      ...(o.wait ? { readyAfterMs: down.length ? null : elapsedMs } : {}),
      checks: results,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (checks.length === 0) {
    process.stdout.write('nothing to check: every store is embedded and no stack service is configured\n');
  } else {
    process.stdout.write(`${doctorTable(results, Boolean(o.wait))}\n`);
    if (o.wait && down.length === 0)
      process.stdout.write(`every dependency ready after ${(elapsedMs / 1000).toFixed(1)} s\n`);
  }
  if (down.length > 0)
    process.stderr.write(
      `mantis doctor: not ready: ${down.map((r) => `${r.name} (${r.detail})`).join('; ')}\n`,
    );
  return down.length === 0 ? 0 : 1;
}
