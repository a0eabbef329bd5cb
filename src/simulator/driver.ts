import type { Asset } from '../domain/types.ts';
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

async function call(url: string, token: string, method: string, body: unknown, signal?: AbortSignal) {
  return fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
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
 * retried on 503 after Retry-After and on network errors with backoff, so nothing is skipped.
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
    for (let attempt = 0; !signal?.aborted; attempt++) {
      try {
        const response = await call(`${options.url}/v1/readings`, options.token, 'POST', batch, signal);
        const result = (await response.json()) as {
          accepted?: number;
          rejected?: unknown[];
          message?: string;
        };
        if (response.status === 202 || response.status === 422) {
          progress.accepted += result.accepted ?? 0;
          progress.rejected += result.rejected?.length ?? 0;
          break;
        }
        if (response.status !== 503) throw new Error(`ingest answered ${response.status}: ${result.message}`);
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000, signal);
      } catch (err) {
        if (signal?.aborted) break;
        if ((err as Error).message.startsWith('ingest answered')) throw err;
        await sleep(Math.min(10_000, 250 * 2 ** attempt), signal);
      }
      progress.retries++;
    }
    progress.second = second + 1 - first;
    options.onProgress?.(progress);
  }
  return progress;
}
