import { describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import { counterTotal, createMetrics } from '../observability/metrics.ts';
import { startJobs } from './jobs.ts';

describe('the batch job runner', () => {
  it('runs each job at once, counts and times every run, and keeps going after a failure', async () => {
    const metrics = createMetrics();
    let failures = 0;
    const jobs = startJobs(
      [
        { name: 'fine', everyMs: 60_000, run: async () => 'did it' },
        {
          name: 'broken',
          everyMs: 60_000,
          run: async () => {
            failures++;
            throw new Error('disk full');
          },
        },
      ],
      metrics,
      createLogger('silent'),
    );
    await jobs.stop();
    expect(failures).toBe(1);
    expect(jobs.states()).toEqual([
      { name: 'fine', lastOutcome: 'success', lastError: undefined, lastFinishedAt: expect.any(Number) },
      { name: 'broken', lastOutcome: 'failure', lastError: 'disk full', lastFinishedAt: expect.any(Number) },
    ]);
    expect(await counterTotal(metrics.jobRunsTotal, { etl_job: 'fine', outcome: 'success' })).toBe(1);
    expect(await counterTotal(metrics.jobRunsTotal, { etl_job: 'broken', outcome: 'failure' })).toBe(1);
    const durations = (await metrics.jobDuration.get()).values.filter((v) =>
      v.metricName?.endsWith('_count'),
    );
    expect(durations.map((v) => [v.labels.etl_job, v.value])).toEqual([
      ['fine', 1],
      ['broken', 1],
    ]);
  });

  it('skips a tick while the previous run of the same job is still going', async () => {
    const metrics = createMetrics();
    let release = () => {};
    let runs = 0;
    const jobs = startJobs(
      [
        {
          name: 'slow',
          everyMs: 20,
          run: () => {
            runs++;
            return new Promise<undefined>((resolve) => {
              release = () => resolve(undefined);
            });
          },
        },
      ],
      metrics,
      createLogger('silent'),
    );
    await new Promise((r) => setTimeout(r, 120));
    expect(runs).toBe(1);
    expect(
      await counterTotal(metrics.jobRunsTotal, { etl_job: 'slow', outcome: 'skipped' }),
    ).toBeGreaterThanOrEqual(3);
    release();
    await jobs.stop();
  });
});
