import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRulEvaluationArgs } from './rul-evaluation-args.ts';

const script = fileURLToPath(new URL('../../scripts/eval-rul.ts', import.meta.url));

describe('eval:rul arguments', () => {
  it('defaults to the published table: three seeds, the default machines, the exponential model', () => {
    expect(parseRulEvaluationArgs([])).toEqual({
      seeds: [1001, 1002, 1003],
      machines: undefined,
      model: 'exponential',
      growth: 180_000,
      json: false,
      help: false,
    });
    expect(parseRulEvaluationArgs(['--seeds', '0, 7', '--machines', 'pump-2,fan-1', '--json'])).toMatchObject(
      {
        seeds: [0, 7],
        machines: ['pump-2', 'fan-1'],
        json: true,
      },
    );
  });

  it('refuses an empty or partly empty seed list rather than reading it as seed 0', () => {
    expect(() => parseRulEvaluationArgs(['--seeds', ''])).toThrow(
      /^--seeds: expected a comma-separated list/,
    );
    expect(() => parseRulEvaluationArgs(['--seeds', '1,,2'])).toThrow(/^--seeds: /);
    expect(() => parseRulEvaluationArgs(['--seeds', '1.5'])).toThrow(/^--seeds: expected whole numbers/);
    expect(() => parseRulEvaluationArgs(['--seeds=-1'])).toThrow(/^--seeds: /);
  });

  it('refuses a seed or a machine listed twice', () => {
    expect(() => parseRulEvaluationArgs(['--seeds', '1,2,1'])).toThrow('--seeds: 1 is listed twice');
    expect(() => parseRulEvaluationArgs(['--machines', 'pump-2,pump-2'])).toThrow(
      '--machines: pump-2 is listed twice',
    );
    expect(() => parseRulEvaluationArgs(['--machines', ''])).toThrow(/^--machines: expected/);
  });

  it('refuses a bad model, growth or option', () => {
    expect(() => parseRulEvaluationArgs(['--model', 'cubic'])).toThrow(/^--model: /);
    expect(() => parseRulEvaluationArgs(['--growth', ''])).toThrow(/^--growth: /);
    expect(() => parseRulEvaluationArgs(['--growth', '599'])).toThrow(/^--growth: /);
    expect(() => parseRulEvaluationArgs(['--nope'])).toThrow(/--nope/);
  });

  it('exits with status 2 naming the option, before running anything', () => {
    for (const [args, option] of [
      [['--seeds', ''], '--seeds'],
      [['--machines', 'pump-2,pump-2'], '--machines'],
      [['--machines', 'nope'], '--machines'],
    ] as const) {
      const run = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 60_000 });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^eval:rul: ${option}: `));
      expect(run.stdout).toBe('');
    }
  });
});
