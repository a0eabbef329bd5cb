import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type Availability, executableAvailable, requireInfra } from './infra.ts';

/** The `st` command of the virtual environment scripts/stack/schemathesis.sh installs Schemathesis into. */
export const SCHEMATHESIS = execFileSync(
  resolve(import.meta.dirname, '../../scripts/stack/schemathesis.sh'),
  ['path'],
  {
    encoding: 'utf8',
  },
).trim();

/** Skips (or, with MANTIS_REQUIRE_INFRA=1, fails) a suite when Schemathesis is not installed. */
export async function schemathesisAvailable(): Promise<Availability> {
  const st = await executableAvailable(SCHEMATHESIS);
  if (!st.available) return st;
  const probe = spawnSync(SCHEMATHESIS, ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return { available: true, reason: '' };
  const reason = `${SCHEMATHESIS} --version failed: ${probe.stderr.trim()}`;
  if (requireInfra)
    throw new Error(`${reason} (MANTIS_REQUIRE_INFRA=1; run scripts/stack/schemathesis.sh install)`);
  process.stderr.write(`skipping: ${reason}\n`);
  return { available: false, reason };
}
