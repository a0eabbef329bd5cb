/**
 * Evaluates the remaining-useful-life estimate on simulated runs to failure (see src/ml/rul-evaluation.ts) and
 * prints a markdown table of its errors at 50, 75 and 90 % of each fault's life, or with --json one JSON object
 * with every estimate. Bad arguments exit with status 2.
 *
 *   npm run eval:rul [-- --seeds 1001,1002,1003 --model exponential --json]
 */

import { evaluateRul, rulEvaluationTable } from '../src/ml/rul-evaluation.ts';
import {
  parseRulEvaluationArgs,
  type RulEvaluationArgs,
  RUL_EVALUATION_USAGE as usage,
} from '../src/ml/rul-evaluation-args.ts';

const fail = (message: string): never => {
  process.stderr.write(`eval:rul: ${message}\n${usage}\n`);
  process.exit(2);
};
let args = {} as RulEvaluationArgs;
try {
  args = parseRulEvaluationArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof RangeError)) throw err;
  fail(err.message);
}
if (args.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const { seeds, machines, model, growth } = args;
let evaluation = {} as ReturnType<typeof evaluateRul>;
const started = performance.now();
try {
  evaluation = evaluateRul({
    seeds,
    machines,
    model,
    faultGrowthSeconds: growth,
    maxSeconds: 3_600,
  });
} catch (err) {
  if (!(err instanceof RangeError)) throw err;
  fail(`--${err.message.split(':')[0]}: ${err.message.split(': ').slice(1).join(': ')}`);
}
const seconds = Math.round((performance.now() - started) / 100) / 10;
if (args.json) {
  process.stdout.write(`${JSON.stringify({ bench: 'rul-evaluation', ...evaluation, seconds })}\n`);
} else {
  const e = evaluation;
  process.stdout.write(
    `${e.fault} on ${e.machines.join(', ')}, seeds ${e.seeds.join(', ')}, ${e.model} model: ${e.failedRuns} of ${e.runs} ` +
      `runs reached the failure line (health ${e.failureLine}); median fault life ${e.medianLifeSeconds ?? '—'} s; ${seconds} s\n\n` +
      `${rulEvaluationTable(e)}\n`,
  );
}
