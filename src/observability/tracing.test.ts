import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import {
  endSpan,
  flushTracing,
  inSpan,
  startProcess,
  startSend,
  startServerSpan,
  startTracing,
  stopTracing,
} from './tracing.ts';

const exporter = new InMemorySpanExporter();
startTracing('mantis-test', {}, exporter);

describe('spans from request to processing', () => {
  afterAll(async () => {
    await stopTracing();
  });

  it('puts the server, send, process and storage spans of one reading in one trace', async () => {
    const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const server = startServerSpan('POST', '/v1/readings', { traceparent: caller });
    const send = startSend('mantis.readings.v1', server.ctx, {});
    send.span.end();
    endSpan(server.span, 202);
    const processing = startProcess('mantis.readings.v1', [send.headers, { traceparent: caller }]);
    await inSpan('write postgres', processing.ctx, { 'mantis.windows': 1 }, async () => {});
    processing.span.end();
    await flushTracing();

    const spans = exporter.getFinishedSpans();
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual([
      'POST /v1/readings',
      'process mantis.readings.v1',
      'send mantis.readings.v1',
      'write postgres',
    ]);
    for (const span of spans) expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const parentOf = (name: string) => byName[name].parentSpanContext?.spanId;
    expect(parentOf('POST /v1/readings')).toBe('00f067aa0ba902b7');
    expect(parentOf('send mantis.readings.v1')).toBe(byName['POST /v1/readings'].spanContext().spanId);
    expect(parentOf('process mantis.readings.v1')).toBe(
      byName['send mantis.readings.v1'].spanContext().spanId,
    );
    expect(parentOf('write postgres')).toBe(byName['process mantis.readings.v1'].spanContext().spanId);
    expect(byName['send mantis.readings.v1'].kind).toBe(SpanKind.PRODUCER);
    expect(byName['process mantis.readings.v1'].kind).toBe(SpanKind.CONSUMER);
    expect(byName['process mantis.readings.v1'].links).toHaveLength(1);
    expect(byName['process mantis.readings.v1'].attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'mantis.readings.v1',
      'messaging.operation.type': 'process',
      'messaging.batch.message_count': 2,
    });
    expect(byName['POST /v1/readings'].attributes['http.response.status_code']).toBe(202);
    expect(send.headers.traceparent).toBe(
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${byName['send mantis.readings.v1'].spanContext().spanId}-01`,
    );
  });
});
