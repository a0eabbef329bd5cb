/**
 * Evaluates the learned health models against the baseline scorer on held-out machines of the simulated plant
 * (see src/ml/evaluation.ts) and prints a markdown table, or with --json one JSON object.
 *
 *   npm run eval:ml [-- --train-seeds 101,102,103 --eval-seeds 2001,2002,2003 --healthy 7200 --json]
 *
 * Seeds: the evaluation seeds must differ from the training seeds; seeds below 33 are refused, as their block
 * seeds (31 × seed + machine) overlap those the diagnosis thresholds were set on (below 1 000).
 */
import { parseArgs } from 'node:util';
import { evaluateHealthModels, mlEvaluationTable } from '../src/ml/simulated-evaluation.ts';

const usage =
  'usage: npm run eval:ml [-- --train-seeds 101,102,103 --eval-seeds 2001,2002,2003 --train 600 --healthy 7200 --json]';
const fail = (message: string): never => {
  process.stderr.write(`eval:ml: ${message}\n${usage}\n`);
  process.exit(2);
};
type Values = { 'train-seeds': string; 'eval-seeds': string; train: string; healthy: string; json: boolean };
function args(): Values {
  try {
    return parseArgs({
      options: {
        'train-seeds': { type: 'string', default: '101,102,103' },
        'eval-seeds': { type: 'string', default: '2001,2002,2003' },
        train: { type: 'string', default: '600' },
        healthy: { type: 'string', default: '7200' },
        json: { type: 'boolean', default: false },
      },
    }).values as Values;
  } catch (err) {
    return fail((err as Error).message);
  }
}
const values = args();
const seedsOf = (flag: 'train-seeds' | 'eval-seeds'): number[] => {
  const seeds = values[flag].split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 33)) fail(`--${flag}: expected whole numbers from 33 up`);
  if (new Set(seeds).size !== seeds.length) fail(`--${flag}: a seed is listed twice`);
  return seeds;
};
const trainSeeds = seedsOf('train-seeds');
const evalSeeds = seedsOf('eval-seeds');
const shared = evalSeeds.filter((s) => trainSeeds.includes(s));
if (shared.length > 0) fail(`--eval-seeds: ${shared.join(', ')} also in --train-seeds`);
const secondsOf = (flag: 'train' | 'healthy', min: number): number => {
  const s = Number(values[flag]);
  if (!Number.isInteger(s) || s < min || s > 86_400) {
    fail(`--${flag}: expected whole seconds from ${min} to 86400, got ${values[flag]}`);
  }
  return s;
};
const trainSeconds = secondsOf('train', 120);
const healthySeconds = secondsOf('healthy', 120);

const started = performance.now();
const tty = process.stderr.isTTY;
const evaluation = evaluateHealthModels({
  trainSeeds,
  evalSeeds,
  trainSeconds,
  healthySeconds,
  onRun: (done) => {
    if (tty) process.stderr.write(`\r\x1b[K${done}`);
  },
});
if (tty) process.stderr.write('\r\x1b[K');
const seconds = (performance.now() - started) / 1000;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ bench: 'ml-evaluation', ...evaluation, seconds })}\n`);
} else {
  process.stdout.write(`${mlEvaluationTable(evaluation)}\n\n${seconds.toFixed(0)} s\n`);
}
