import pino, { type Logger } from 'pino';
import { logIds } from './tracing.ts';

export type { Logger };

/** JSON logs on stdout, one line per event, with trace_id and span_id inside a span. */
export function createLogger(level: string, bindings: Record<string, string> = {}): Logger {
  return pino({
    level,
    base: { service: 'mantis', ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Lines logged inside a span (a batch's processing, its storage write) carry its trace and span ids.
    mixin: logIds,
  });
}
