import type { Asset } from '../domain/types.ts';
import { retry, retryAfterMs } from '../lib/retry.ts';
import { Fleet, type FleetOptions } from './fleet.ts';

export interface SimulatorOptions {
  /** Where readings go (the ingest target). */
  url: string;
  /** Where the fleet is registered (the api target); the same as url by default. */
  apiUrl?: string;
  token: string;
  fleet?: Partial<FleetOptions>;
  /** Event time of second 0; defaults to now. */
  startTs?: number;
  /** Simulated seconds per wall-clock second; 0 sends as fast as MANTIS accepts. */
  speed: number;
  /** Stop after this many simulated seconds; runs until aborted when unset. */
  durationSeconds?: number;
  /** First simulated second to send (to resume or replay a run); 0 by default. */
  fromSecond?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SimulatorProgress) => void;
}

export interface SimulatorProgress {
  second: number;
  accepted: number;
  rejected: number;
  retries: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, Math.max(0, ms));
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Backoff between attempts at one batch: from 250–500 ms, doubling, at most 10 s (see lib/retry.ts). */
const RETRY = { baseMs: 500, maxMs: 10_000 };

/** Ingest is busy (503): the batch is sent again after at least the Retry-After it names. */
class IngestBusyError extends Error {
  readonly retryAfterMs: number | null;
  constructor(message: string, retryAfterMs: number | null) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** Ingest refused the batch for good (any status but 202, 422 and 503): sending it again cannot help. */
class IngestRefusedError extends Error {}

async function call(url: string, token: string, method: string, body: unknown, signal?: AbortSignal) {
  return fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

interface IngestAnswer {
  accepted?: number;
  rejected?: unknown[];
  message?: string;
}

/** One POST of a batch: the answer when ingest took it (202, or 422 with some items rejected), else throws. */
async function post(url: string, token: string, batch: unknown, signal?: AbortSignal): Promise<IngestAnswer> {
  const response = await call(`${url}/v1/readings`, token, 'POST', batch, signal);
  const result = (await response.json()) as IngestAnswer;
  if (response.status === 202 || response.status === 422) return result;
  const message = `ingest answered ${response.status}: ${result.message}`;
  if (response.status === 503)
    throw new IngestBusyError(message, retryAfterMs(response.headers.get('retry-after')));
  throw new IngestRefusedError(message);
}

/** Registers the simulated fleet through the API. */
export async function registerFleet(url: string, token: string, assets: Asset[]): Promise<void> {
  for (const { id, ...asset } of assets) {
    const response = await call(`${url}/v1/assets/${id}`, token, 'PUT', {
      ...asset,
      sensors: asset.sensors.map(({ assetId: _assetId, ...s }) => s),
    });
    if (!response.ok)
      throw new Error(`registering ${id} failed: ${response.status} ${await response.text()}`);
  }
}

/**
 * Drives a running MANTIS over HTTP, like a plant's gateway would: one batch per simulated second,
 * retried on 503 and on network errors with backoff and jitter (never sooner than a 503's Retry-After), so
 * nothing is skipped; any other answer but 202 and 422 throws. Stops early, without error, once `signal`
 * aborts.
 */
export async function runSimulator(options: SimulatorOptions): Promise<SimulatorProgress> {
  const fleet = new Fleet(options.fleet);
  await registerFleet(options.apiUrl ?? options.url, options.token, fleet.assets);
  const startTs = options.startTs ?? Date.now();
  const wallStart = Date.now();
  const progress: SimulatorProgress = { second: 0, accepted: 0, rejected: 0, retries: 0 };
  const { signal } = options;
  const first = options.fromSecond ?? 0;
  const end =
    options.durationSeconds === undefined ? Number.POSITIVE_INFINITY : first + options.durationSeconds;
  for (let second = first; second < end; second++) {
    if (signal?.aborted) break;
    if (options.speed > 0) {
      const due = wallStart + ((second - first) * 1000) / options.speed;
      await sleep(due - Date.now(), signal);
      if (signal?.aborted) break;
    }
    const batch = fleet.readings(second, startTs);
    try {
      const result = await retry(() => post(options.url, options.token, batch, signal), {
        isTransient: (err) => !(err instanceof IngestRefusedError),
        maxAttempts: 1,
        ...RETRY,
        delayFloorMs: (err) => (err instanceof IngestBusyError ? err.retryAfterMs : null),
        signal,
        onRetry: () => {
          progress.retries++;
        },
      });
      progress.accepted += result.accepted ?? 0;
      progress.rejected += result.rejected?.length ?? 0;
    } catch (err) {
      if (signal?.aborted) break;
      throw err;
    }
    progress.second = second + 1 - first;
    options.onProgress?.(progress);
  }
  return progress;
}
