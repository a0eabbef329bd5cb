/**
 * Evaluates the remaining-useful-life estimate on simulated runs to failure (see src/ml/rul-evaluation.ts) and
 * prints a markdown table of its errors at 50, 75 and 90 % of each fault's life, or with --json one JSON object
 * with every estimate. Bad arguments exit with status 2.
 *
 *   npm run eval:rul [-- --seeds 1001,1002,1003 --model exponential --json]
 */
import { parseArgs } from 'node:util';
import { evaluateRul, rulEvaluationTable } from '../src/ml/rul-evaluation.ts';

const usage =
  'usage: npm run eval:rul [-- --seeds 1001,1002,1003] [--machines pump-2,motor-1] [--model exponential|linear] [--growth 180000] [--json]';
const fail = (message: string): never => {
  process.stderr.write(`eval:rul: ${message}\n${usage}\n`);
  process.exit(2);
};
let values: {
  seeds?: string;
  machines?: string;
  model?: string;
  growth?: string;
  json?: boolean;
  help?: boolean;
} = {};
try {
  ({ values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '1001,1002,1003' },
      machines: { type: 'string' },
      model: { type: 'string', default: 'exponential' },
      growth: { type: 'string', default: '180000' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const seeds = (values.seeds ?? '').split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) fail('--seeds: expected whole numbers from 0 up');
if (new Set(seeds).size !== seeds.length)
  fail('--seeds: a seed is listed twice (it would count its runs twice)');
if (values.model !== 'exponential' && values.model !== 'linear') {
  fail(`--model: expected exponential or linear, got ${values.model}`);
}
const growth = Number(values.growth);
if (!Number.isInteger(growth) || growth < 600 || growth > 10_000_000) {
  fail(`--growth: expected whole seconds from 600 to 10000000, got ${values.growth}`);
}
const machines = values.machines?.split(',');
let evaluation = {} as ReturnType<typeof evaluateRul>;
const started = performance.now();
try {
  evaluation = evaluateRul({
    seeds,
    machines,
    model: values.model as 'exponential' | 'linear',
    faultGrowthSeconds: growth,
    maxSeconds: 3_600,
  });
} catch (err) {
  if (!(err instanceof RangeError)) throw err;
  fail(`--${err.message.split(':')[0]}: ${err.message.split(': ').slice(1).join(': ')}`);
}
const seconds = Math.round((performance.now() - started) / 100) / 10;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ bench: 'rul-evaluation', ...evaluation, seconds })}\n`);
} else {
  const e = evaluation;
  process.stdout.write(
    `${e.fault} on ${e.machines.join(', ')}, seeds ${e.seeds.join(', ')}, ${e.model} model: ${e.failedRuns} of ${e.runs} ` +
      `runs reached the failure line (health ${e.failureLine}); median fault life ${e.medianLifeSeconds ?? '—'} s; ${seconds} s\n\n` +
      `${rulEvaluationTable(e)}\n`,
  );
}
