/**
 * Command-line arguments of `npm run eval:rul` (scripts/eval-rul.ts), checked before anything runs.
 */
import { parseArgs } from 'node:util';
import type { RulModel } from './rul.ts';

export const RUL_EVALUATION_USAGE =
  'usage: npm run eval:rul [-- --seeds 1001,1002,1003] [--machines pump-2,motor-1] [--model exponential|linear] [--growth 180000] [--json]';

export interface RulEvaluationArgs {
  seeds: number[];
  /** Undefined: the evaluation's default machines. */
  machines?: string[];
  model: RulModel;
  /** Seconds the fault would take to reach full severity. */
  growth: number;
  json: boolean;
  help: boolean;
}

/** A comma-separated list whose every item is non-empty and listed once (a repeat would count its runs twice). */
function list(option: string, text: string, what: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new RangeError(
      `--${option}: expected a comma-separated list of ${what}, got ${JSON.stringify(text)}`,
    );
  }
  const repeated = items.find((s, i) => items.indexOf(s) !== i);
  if (repeated !== undefined) {
    throw new RangeError(`--${option}: ${repeated} is listed twice (it would count its runs twice)`);
  }
  return items;
}

/**
 * Parses the arguments (without node and the script), with the defaults of the published table.
 * @throws RangeError naming the option at fault (`--seeds: …`; node's own message for an unknown option).
 */
export function parseRulEvaluationArgs(args: readonly string[]): RulEvaluationArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
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
    throw new RangeError((err as Error).message);
  }
  const seedText = values.seeds as string;
  // Number('') is 0: each seed must be written out in digits.
  const seeds = list('seeds', seedText, 'whole numbers from 0 up').map((s) => {
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
      throw new RangeError(`--seeds: expected whole numbers from 0 up, got ${JSON.stringify(s)}`);
    }
    return Number(s);
  });
  const machines =
    values.machines === undefined ? undefined : list('machines', values.machines as string, 'machine ids');
  const model = values.model;
  if (model !== 'exponential' && model !== 'linear') {
    throw new RangeError(`--model: expected exponential or linear, got ${JSON.stringify(model)}`);
  }
  const growthText = (values.growth as string).trim();
  const growth = Number(growthText);
  if (!/^\d+$/.test(growthText) || growth < 600 || growth > 10_000_000) {
    throw new RangeError(
      `--growth: expected whole seconds from 600 to 10000000, got ${JSON.stringify(values.growth)}`,
    );
  }
  return { seeds, machines, model, growth, json: values.json === true, help: values.help === true };
}
