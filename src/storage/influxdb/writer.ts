import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { retry, retryAfterMs } from '../../lib/retry.ts';
import { droppedOf, failureOfStatus, InfluxWriteError } from './errors.ts';
import { type InfluxTarget, writeUrl } from './url.ts';

const gzipAsync = promisify(gzip);

/** Backoff between attempts at one request: from 100 ms, doubling, at most 5 s, with jitter. */
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 5_000;

/** What the writer reports (metrics and logs, wired by the composition root). */
export interface WriterEvents {
  /** Points held (queued or in flight, not yet acknowledged). */
  buffered?(points: number): void;
  /** The buffer could not take a write: it waits until the buffer drains (once per episode). */
  bufferFull?(points: number, capacity: number): void;
  /** A request failed transiently and is tried again after `delayMs`. */
  retry?(err: InfluxWriteError, attempt: number, delayMs: number): void;
  /** Points InfluxDB acknowledged. */
  written?(points: number): void;
  /** Points InfluxDB dropped from a request it otherwise took (a partial write), with its reason. */
  rejected?(points: number, reason: 'retention' | 'refused', message: string): void;
}

interface Entry {
  lines: string[];
  /** Lines handed to a request so far / acknowledged so far. */
  sent: number;
  acked: number;
  resolve(): void;
  reject(err: unknown): void;
}

type Timing = Pick<
  InfluxTarget,
  'batchPoints' | 'flushMs' | 'bufferPoints' | 'gzip' | 'timeoutMs' | 'retryMs'
>;

/**
 * Line protocol to InfluxDB's write API, batched: a request carries up to `batchPoints` lines and leaves
 * when that many wait or `flushMs` after the first one came. `write` resolves only once InfluxDB has
 * acknowledged every line it was given (what lets the caller commit what the lines came from), and rejects
 * with InfluxWriteError otherwise: transient failures (unreachable, 5xx, 429 after its Retry-After) are
 * retried with backoff and jitter for `retryMs`, then handed back to the caller to retry; a refusal (400, a
 * partial write) is not retried. At most `bufferPoints` points are held: a write that would pass that waits
 * for room (backpressure), never dropping anything.
 *
 * Hand-written rather than @influxdata/influxdb-client's WriteApi: that one resolves a flush without tying
 * it to given points, drops the oldest lines when its buffer is full, and speaks only the v2 API.
 */
export class InfluxWriter {
  private readonly queue: Entry[] = [];
  private buffered = 0;
  private unsent = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly waiters: (() => void)[] = [];
  private full = false;
  private closed = false;
  /** Aborted by close(): ends the request in flight and its retries, so a hung InfluxDB cannot hold a stop. */
  private readonly closing = new AbortController();
  private readonly url: string;
  private readonly target: Pick<InfluxTarget, 'authorization' | 'baseUrl'> & Timing;
  private readonly events: WriterEvents;

  constructor(target: InfluxTarget, events: WriterEvents = {}) {
    this.target = target;
    this.url = writeUrl(target);
    this.events = events;
  }

  /** Points held now (queued or in flight). */
  bufferedPoints(): number {
    return this.buffered;
  }

  /** Sends the lines (no line breaks inside); resolves once InfluxDB has acknowledged all of them. */
  async write(lines: string[]): Promise<void> {
    if (this.closed) throw this.closedError();
    if (lines.length === 0) return;
    await this.room(lines.length);
    if (this.closed) throw this.closedError();
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ lines, sent: 0, acked: 0, resolve, reject });
      this.buffered += lines.length;
      this.unsent += lines.length;
      this.events.buffered?.(this.buffered);
      this.schedule();
    });
  }

  /**
   * Refuses new writes and gives up on what is held: the request in flight is aborted and not retried, and
   * every pending write rejects with InfluxWriteError CLOSED (its caller keeps those points uncommitted, to
   * be replayed). Callers wait for their writes before closing, so a clean stop holds nothing here; this
   * bounds a stop while InfluxDB hangs (a request would otherwise wait `timeoutMs`, retried for `retryMs`).
   */
  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    this.kick();
    while (this.flushing) await this.flushing;
    // Writes still waiting for room see the writer closed.
    this.wake();
  }

  private closedError(): InfluxWriteError {
    return new InfluxWriteError('store', 'CLOSED', 'the InfluxDB writer is closed', null);
  }

  /** Waits while the lines would not fit; a write larger than the whole buffer waits for it to be empty. */
  private async room(points: number): Promise<void> {
    const capacity = this.target.bufferPoints;
    while (!this.closed && this.buffered > 0 && this.buffered + points > capacity) {
      if (!this.full) {
        this.full = true;
        this.events.bufferFull?.(this.buffered, capacity);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private schedule(): void {
    if (this.unsent >= this.target.batchPoints) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.target.flushMs);
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flushing || this.unsent === 0) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = null;
      if (this.unsent > 0) this.schedule();
    });
  }

  /** Sends requests until nothing is unsent; each request's entries settle with it. */
  private async drain(): Promise<void> {
    while (this.unsent > 0) {
      const slices: [Entry, number][] = [];
      const lines: string[] = [];
      for (const entry of this.queue) {
        if (lines.length >= this.target.batchPoints) break;
        const take = Math.min(entry.lines.length - entry.sent, this.target.batchPoints - lines.length);
        if (take === 0) continue;
        for (let i = entry.sent; i < entry.sent + take; i++) lines.push(entry.lines[i]);
        entry.sent += take;
        this.unsent -= take;
        slices.push([entry, take]);
      }
      try {
        await this.send(lines);
        for (const [entry, count] of slices) this.acknowledge(entry, count);
        this.events.written?.(lines.length);
      } catch (err) {
        for (const [entry] of slices) this.fail(entry, err);
      }
      this.wake();
    }
  }

  private acknowledge(entry: Entry, count: number): void {
    entry.acked += count;
    this.buffered -= count;
    if (entry.acked < entry.lines.length) return;
    this.queue.splice(this.queue.indexOf(entry), 1);
    entry.resolve();
  }

  /** The whole write fails back to its caller, who holds the points (and retries them all: overwrites). */
  private fail(entry: Entry, err: unknown): void {
    const index = this.queue.indexOf(entry);
    if (index === -1) return;
    this.queue.splice(index, 1);
    this.buffered -= entry.lines.length - entry.acked;
    this.unsent -= entry.lines.length - entry.sent;
    entry.reject(err);
  }

  private wake(): void {
    this.events.buffered?.(this.buffered);
    if (this.buffered === 0) this.full = false;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** One request, retried while it fails transiently and the retry budget lasts. */
  private async send(lines: string[]): Promise<void> {
    const { authorization, gzip: compress, timeoutMs, retryMs, baseUrl } = this.target;
    const text = lines.join('\n');
    const body = compress ? await gzipAsync(text) : text;
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (compress) headers['content-encoding'] = 'gzip';
    if (authorization) headers.authorization = authorization;
    // The Retry-After of the last answer (a 429 or 503), the least wait before the next attempt.
    let retryAfter: number | null = null;
    const attempt = async (): Promise<void> => {
      retryAfter = null;
      let response: Response;
      let answer: string;
      try {
        response = await fetch(this.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.closing.signal]),
        });
        answer = await response.text();
      } catch (cause) {
        if (this.closing.signal.aborted) {
          throw new InfluxWriteError(
            'store',
            'CLOSED',
            `the InfluxDB writer closed before ${baseUrl} acknowledged ${lines.length} points`,
            null,
            cause,
          );
        }
        const reason = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).name;
        throw new InfluxWriteError(
          'transient',
          reason,
          `InfluxDB unreachable at ${baseUrl}: ${(cause as Error).message} (${reason})`,
          null,
          cause,
        );
      }
      if (response.ok) return;
      const { kind, code } = failureOfStatus(response.status, answer);
      const message = `InfluxDB refused ${lines.length} points: HTTP ${response.status} ${answer.trim()}`;
      const err = new InfluxWriteError(kind, code, message, response.status);
      if (code === 'PARTIAL_WRITE') return this.partial(lines.length, answer, err);
      retryAfter = retryAfterMs(response.headers.get('retry-after'));
      throw err;
    };
    await retry(attempt, {
      isTransient: (err) => err instanceof InfluxWriteError && err.failure.kind === 'transient',
      maxAttempts: 1,
      baseMs: RETRY_BASE_MS,
      maxMs: RETRY_MAX_MS,
      delayFloorMs: () => retryAfter,
      budgetMs: retryMs,
      // Once closed: no attempt after the one that failed, and no wait.
      signal: this.closing.signal,
      onRetry: ({ err, attempt: n, delayMs }) => this.events.retry?.(err as InfluxWriteError, n, delayMs),
    });
  }

  /**
   * A partial write: InfluxDB stored the request's other points. Points older than the retention policy are
   * dropped by the operator's own policy (reported, not an error); any other refusal fails the write, so
   * that the caller isolates the refused readings (and dead-letters them) instead of losing them silently.
   */
  private partial(points: number, answer: string, err: InfluxWriteError): void {
    const dropped = droppedOf(answer) ?? points;
    if (/beyond retention policy/i.test(answer) && !/field type conflict|unable to parse/i.test(answer)) {
      this.events.rejected?.(dropped, 'retention', err.message);
      return;
    }
    this.events.rejected?.(dropped, 'refused', err.message);
    throw err;
  }
}
