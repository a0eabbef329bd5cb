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

describe('the registry', () => {
  it('names counters, and only counters, with _total', async () => {
    const { registry } = createMetrics();
    const families = await registry.getMetricsAsJSON();
    expect(families.length).toBeGreaterThan(50);
    const misnamed = families
      .filter((f) => (String(f.type) === 'counter') !== f.name.endsWith('_total'))
      .map((f) => `${f.name} (${f.type})`);
    expect(misnamed).toEqual([]);
  });

  it("keeps Node.js's active handles, requests and resources as gauges by type, summing to the totals", async () => {
    const { registry } = createMetrics();
    const families = await registry.getMetricsAsJSON();
    for (const kind of ['handles', 'requests', 'resources']) {
      expect(families.find((f) => f.name === `mantis_nodejs_active_${kind}`)?.type).toBe('gauge');
      expect(families.map((f) => f.name)).not.toContain(`mantis_nodejs_active_${kind}_total`);
    }
    // A timer of its own, so that at least one resource is held while it reads.
    const held = setInterval(() => {}, 60_000);
    try {
      const { values } = (await registry.getSingleMetric('mantis_nodejs_active_resources')?.get()) ?? {};
      expect(values?.find((v) => v.labels.type === 'Timeout')?.value).toBeGreaterThanOrEqual(1);
      expect(values?.reduce((sum, v) => sum + v.value, 0)).toBe(process.getActiveResourcesInfo().length);
    } finally {
      clearInterval(held);
    }
  });
});
