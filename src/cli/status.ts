import type { MantisApp } from '../app/app.ts';
import { decodeJson } from '../bus/codec.ts';
import { topics } from '../bus/port.ts';
import type { Alert } from '../domain/types.ts';
import { counterTotal } from '../observability/metrics.ts';

const clock = () => new Date().toTimeString().slice(0, 8);

/** One status line every interval, and a line for each alert as it is raised. Returns a stop function. */
export function printStatus(
  app: MantisApp,
  intervalMs: number,
  write: (line: string) => void,
): () => Promise<void> {
  const m = app.metrics;
  let last = { readings: 0, samples: 0, at: Date.now() };
  // The learned models served, said when they change (the log line is at info, below `mantis start`'s level).
  let models = '';
  const timer = setInterval(async () => {
    const served = (await m.modelInfo.get()).values
      .map((v) => `${v.labels.asset_type} by ${v.labels.model} version ${v.labels.version}`)
      .sort()
      .join(', ');
    if (served !== models) {
      write(
        `[${clock()}] MODELS ${served ? `scoring ${served}` : 'none: every asset type by the baseline scorer'}`,
      );
      models = served;
    }
    const readings = await counterTotal(m.pipelineReadings);
    const samples = await counterTotal(m.pipelineSamples);
    const windows = await counterTotal(m.pipelineWindows);
    const alerts = await counterTotal(m.alertsRaised);
    const orders = await counterTotal(m.workOrdersOpened);
    const seconds = (Date.now() - last.at) / 1000;
    const rate = (readings - last.readings) / seconds;
    const sampleRate = (samples - last.samples) / seconds;
    last = { readings, samples, at: Date.now() };
    write(
      `[${clock()}] ${rate.toFixed(0)} readings/s (${(sampleRate / 1000).toFixed(1)}k samples/s) · ` +
        `${windows} windows · ${alerts} alerts · ${orders} work orders opened`,
    );
  }, intervalMs);
  timer.unref();

  const bus = app.services.bus;
  const consumer = bus?.subscribe(topics.alerts, 'mantis-console', 100);
  let watching = true;
  const announced = new Set<string>();
  const watch = (async () => {
    while (consumer && watching) {
      for (const record of await consumer.poll(500)) {
        const alert = decodeJson<Alert & { workOrderOpened?: boolean }>(record.value);
        // An escalated alert is published again under the same id, with its new severity.
        const escalated = announced.has(alert.id);
        announced.add(alert.id);
        // Bounded: the oldest ids go first (a Set keeps insertion order).
        if (announced.size > 10_000) announced.delete(announced.values().next().value as string);
        const by = alert.model ? ` (scored by ${alert.model.name} version ${alert.model.version})` : '';
        write(
          `[${clock()}] ALERT ${alert.severity} on ${alert.assetId} — ${alert.message}${by}; ` +
            (escalated
              ? `escalated to ${alert.severity}, work order priority raised`
              : alert.workOrderOpened === false
                ? 'an open work order covers it'
                : 'work order opened'),
        );
      }
    }
  })();
  return async () => {
    clearInterval(timer);
    watching = false;
    await watch;
    await consumer?.close();
  };
}
