import { context, type SpanContext, TraceFlags, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace-base';

/**
 * W3C Trace Context (traceparent, tracestate) carried from an ingest request into the bus messages it
 * produces, so that the processing of a reading joins the trace of the request that brought it.
 */

const propagator = new W3CTraceContextPropagator();
const ids = new RandomIdGenerator();

export type TraceHeaders = Record<string, string>;

type Carrier = Record<string, string | string[] | undefined>;

const getter = {
  keys: (carrier: Carrier) => Object.keys(carrier),
  get: (carrier: Carrier, key: string) => carrier[key.toLowerCase()],
};

/** The caller's span context from request or message headers, if they carry a valid traceparent. */
export function extractSpanContext(headers: Carrier): SpanContext | undefined {
  return trace.getSpanContext(propagator.extract(context.active(), headers, getter));
}

/**
 * Headers for the next hop: the caller's trace continued with a new span id, or a new sampled trace when the
 * caller sent none (or an invalid one). tracestate is passed on unchanged.
 */
export function nextHopHeaders(incoming: Carrier): TraceHeaders {
  const parent = extractSpanContext(incoming);
  const span: SpanContext = {
    traceId: parent?.traceId ?? ids.generateTraceId(),
    spanId: ids.generateSpanId(),
    traceFlags: parent?.traceFlags ?? TraceFlags.SAMPLED,
    traceState: parent?.traceState,
  };
  const out: TraceHeaders = {};
  propagator.inject(trace.setSpanContext(context.active(), span), out, {
    set: (carrier, key, value) => {
      carrier[key] = value;
    },
  });
  return out;
}

/** Only the trace headers of a message's headers, to pass them on. */
export function traceHeadersOf(headers: Record<string, string> | undefined): TraceHeaders {
  const out: TraceHeaders = {};
  for (const key of propagator.fields()) {
    const value = headers?.[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
