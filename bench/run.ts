/** npm run bench: every benchmark, one process each, JSON lines on stdout. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const name of ['features.ts', 'pipeline-embedded.ts']) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(`./${name}`, import.meta.url))], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
