import { describe, expect, it } from 'vitest';
import { extractSpanContext, nextHopHeaders, traceHeadersOf } from './trace-context.ts';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

describe('W3C trace context', () => {
  it('continues the caller’s trace with a new span id, keeping its flags and tracestate', () => {
    const incoming = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00',
      tracestate: 'congo=t61rcWkgMzE',
    };
    const out = nextHopHeaders(incoming);
    const [, traceId, spanId, flags] = TRACEPARENT.exec(out.traceparent) ?? [];
    expect(traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(spanId).not.toBe('b7ad6b7169203331');
    expect(flags).toBe('00');
    expect(out.tracestate).toBe('congo=t61rcWkgMzE');
  });

  it('starts a new sampled trace when the caller sent none or an invalid one', () => {
    for (const incoming of [{}, { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' }]) {
      const out = nextHopHeaders(incoming);
      const [, traceId, , flags] = TRACEPARENT.exec(out.traceparent) ?? [];
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe('00000000000000000000000000000000');
      expect(flags).toBe('01');
    }
    expect(nextHopHeaders({}).traceparent).not.toBe(nextHopHeaders({}).traceparent);
  });

  it('reads the span context back, and keeps only trace headers of a message', () => {
    const out = nextHopHeaders({});
    expect(extractSpanContext(out)?.traceId).toBe(out.traceparent.split('-')[1]);
    expect(traceHeadersOf({ ...out, 'mantis-ingested-at': '1' })).toEqual(out);
    expect(traceHeadersOf(undefined)).toEqual({});
  });
});
