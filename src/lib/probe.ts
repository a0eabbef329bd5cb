/**
 * Checks a dependency through its own protocol (not a bare TCP connect): resolves with a one-line detail
 * when it is ready, throws saying why when not. `signal` aborts at the caller's timeout.
 */
export type Probe = (signal: AbortSignal) => Promise<string>;
