/**
 * Evaluates the named vibration diagnoses on simulated runs (see src/simulator/evaluation.ts) and prints the
 * result as one JSON object, then as a markdown table. Seeds below 33 are refused: with them the fleet's block
 * seeds (31 × seed + machine) would fall among those the diagnosis thresholds were set on (below 1 000).
 *
 *   npm run eval:diagnostics [-- --seeds 1001,1002 --duration 300]
 */
import { parseArgs } from 'node:util';
import { evaluateDiagnostics, evaluationTable } from '../src/simulator/evaluation.ts';

const usage = 'usage: npm run eval:diagnostics [-- --seeds 1001,1002 --duration 300]';
let values: { seeds?: string; duration?: string };
try {
  ({ values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '1001,1002,1003,1004,1005,1006,1007,1008' },
      duration: { type: 'string', default: '300' },
    },
  }));
} catch (err) {
  process.stderr.write(`eval:diagnostics: ${(err as Error).message}\n${usage}\n`);
  process.exit(2);
}
const fail = (message: string): never => {
  process.stderr.write(`eval:diagnostics: ${message}\n`);
  process.exit(2);
};
const seeds = (values.seeds ?? '').split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s) || s < 33)) {
  fail('--seeds: expected whole numbers from 33 up (lower ones overlap the tuning seeds)');
}
if (new Set(seeds).size !== seeds.length)
  fail('--seeds: a seed is listed twice (it would count its runs twice)');
const duration = Number(values.duration);
if (!Number.isInteger(duration) || duration < 60 || duration > 86_400) {
  fail(`--duration: expected whole seconds from 60 to 86400, got ${values.duration}`);
}
const started = performance.now();
const evaluation = evaluateDiagnostics({ seeds, durationSeconds: duration });
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ bench: 'diagnostics-evaluation', ...evaluation, seconds })}\n\n`);
process.stdout.write(`${evaluationTable(evaluation)}\n`);
