import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MantisApp } from '../../src/app/app.ts';
import type { Target } from '../../src/app/modules.ts';
import { loadConfig } from '../../src/config/load.ts';

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'mantis-test-'));
}

/** Starts MANTIS on a free port with its own data folder; settings by dotted path. */
export async function startApp(
  settings: Record<string, unknown> = {},
  target: Target = 'all',
): Promise<MantisApp> {
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: tempDataDir(),
      'http.port': 0,
      'mqtt.port': 0,
      'log.level': 'silent',
      // Every answer of every suite is checked against the document.
      'http.checkResponses': 'on',
      ...settings,
    },
  });
  return MantisApp.start(config, { target });
}

export interface Client {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T = unknown>(path: string): Promise<T>;
}

export function client(app: MantisApp, token = app.token): Client {
  const base = app.url;
  return {
    request: (method, path, body, headers = {}) =>
      fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async json<T>(path: string) {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}

/** Epoch ms aligned down to a multiple of the window length, so test windows are whole. */
export function alignedStart(secondsAgo: number, windowSeconds = 10): number {
  const t = Date.now() - secondsAgo * 1000;
  return t - (t % (windowSeconds * 1000));
}

/** A response's JSON body, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes.
export async function bodyOf<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/**
 * Waits until the app's processor has written every message published so far: the windows they closed, their
 * scores, alerts and work orders are then stored. Throws after `timeoutMs`.
 */
export async function caughtUp(app: MantisApp, timeoutMs = 30_000): Promise<void> {
  const processor = app.services.processor;
  if (!processor) throw new Error(`the ${app.target} target runs no processor`);
  const deadline = Date.now() + timeoutMs;
  while (processor.unprocessed() !== 0) {
    if (Date.now() > deadline) throw new Error(`processor still ${processor.unprocessed()} messages behind`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
