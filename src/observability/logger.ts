import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout, one line per event. */
export function createLogger(level: string, bindings: Record<string, string> = {}): Logger {
  return pino({ level, base: { service: 'mantis', ...bindings }, timestamp: pino.stdTimeFunctions.isoTime });
}
