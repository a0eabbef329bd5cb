import { describe, expect, it } from 'vitest';
import { createMetrics, PendingWrites } from './metrics.ts';

describe('PendingWrites', () => {
  it('is the age of the oldest write in progress, 0 when none', () => {
    const writes = new PendingWrites();
    expect(writes.oldestAgeSeconds(5_000)).toBe(0);
    const first = writes.begin(1_000);
    const second = writes.begin(3_000);
    expect(writes.oldestAgeSeconds(5_000)).toBe(4);
    first();
    expect(writes.oldestAgeSeconds(5_000)).toBe(2);
    second();
    second();
    expect(writes.oldestAgeSeconds(5_000)).toBe(0);
  });
});

describe('mantis_pipeline_write_pending_seconds', () => {
  it('is read at each scrape, so it grows while a write is pending', async () => {
    const metrics = createMetrics();
    const scrape = async () => (await metrics.pipelineWritePending.get()).values[0]?.value;
    expect(await scrape()).toBe(0);
    const ended = metrics.pendingWrites.begin(Date.now() - 90_000);
    expect(await scrape()).toBeGreaterThanOrEqual(90);
    ended();
    expect(await scrape()).toBe(0);
  });
});
