import {
  type Context,
  context,
  type Link,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { nextHopHeaders, type TraceHeaders } from './trace-context.ts';

/**
 * OpenTelemetry tracing: spans are recorded and exported over OTLP/HTTP (to Jaeger) when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, once per process; otherwise the API's no-op tracer costs nothing and
 * only the W3C trace context travels on.
 */

let provider: NodeTracerProvider | null = null;
const tracer = () => trace.getTracer('mantis');

type Carrier = Record<string, string | string[] | undefined>;
const getter = {
  keys: (carrier: Carrier) => Object.keys(carrier),
  get: (carrier: Carrier, key: string) => carrier[key.toLowerCase()],
};
const setter = {
  set: (carrier: TraceHeaders, key: string, value: string) => {
    carrier[key] = value;
  },
};

export function tracingEnabled(): boolean {
  return provider !== null;
}

/** Starts the SDK if an OTLP endpoint is configured; the first call in a process wins. */
export function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
  /** Where spans go instead of OTLP (tests). */
  exporter?: SpanExporter,
): void {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (provider || !(endpoint || exporter)) return;
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${endpoint?.replace(/\/$/, '')}/v1/traces`;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(exporter ?? new OTLPTraceExporter({ url }), { scheduledDelayMillis: 1000 }),
    ],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
}

/** Sends the spans ended so far. */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** Flushes and stops the exporter (at shutdown, so that the last spans are not lost). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
  provider = null;
}

/** The context a request or message carries (its traceparent), to parent the spans made for it. */
export function contextFrom(headers: Carrier): Context {
  return propagation.extract(context.active(), headers, getter);
}

/** An HTTP server span, child of the caller's trace context. */
export function startServerSpan(
  method: string,
  route: string,
  headers: Carrier,
): { span: Span; ctx: Context } {
  const parent = contextFrom(headers);
  const span = tracer().startSpan(
    `${method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route } },
    parent,
  );
  return { span, ctx: trace.setSpan(parent, span) };
}

export function endSpan(span: Span, statusCode?: number, error?: unknown): void {
  if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
  if (error || (statusCode ?? 0) >= 500) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : undefined,
    });
  }
  span.end();
}

/**
 * A producer span `send <topic>` (OpenTelemetry messaging conventions) and the headers that carry it into the
 * messages. Without the SDK, the headers continue the caller's trace with a new span id, as before.
 */
export function startSend(
  topic: string,
  parent: Context,
  incoming: Carrier,
): { span: Span; headers: TraceHeaders } {
  const span = tracer().startSpan(
    `send ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
      },
    },
    parent,
  );
  if (!tracingEnabled()) return { span, headers: nextHopHeaders(incoming) };
  const headers: TraceHeaders = {};
  propagation.inject(trace.setSpan(parent, span), headers, setter);
  return { span, headers };
}

/**
 * A consumer span `process <topic>` for a batch: child of the first message's trace, linked to the others,
 * so that the trace of a request runs on into its processing.
 */
export function startProcess(topic: string, messageHeaders: Carrier[]): { span: Span; ctx: Context } {
  const contexts = messageHeaders
    .map((h) => trace.getSpanContext(contextFrom(h)))
    .filter((c) => c !== undefined);
  const parent = contexts[0] ? trace.setSpanContext(context.active(), contexts[0]) : context.active();
  const links: Link[] = contexts.slice(1, 128).map((c) => ({ context: c }));
  const span = tracer().startSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.batch.message_count': messageHeaders.length,
      },
    },
    parent,
  );
  return { span, ctx: trace.setSpan(parent, span) };
}

/** Runs fn in a child span of ctx, ending it (with the error, if any) when fn settles. */
export async function inSpan<T>(
  name: string,
  ctx: Context,
  attributes: Record<string, string | number>,
  fn: () => Promise<T>,
): Promise<T> {
  const span = tracer().startSpan(name, { kind: SpanKind.INTERNAL, attributes }, ctx);
  try {
    return await context.with(trace.setSpan(ctx, span), fn);
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

/** Trace and span ids of the active span, for log lines. */
export function logIds(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  return span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}
