import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runSimulator } from './driver.ts';

type Answer = (res: ServerResponse, items: unknown[]) => void;

/**
 * An HTTP server in front of the driver that answers POST /v1/readings with `answers` in turn (then 202),
 * registers every asset, and notes when each POST arrived and how many items it carried.
 */
async function ingest(answers: Answer[]) {
  const posts: { at: number; items: number }[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || 'null');
    if (req.method === 'PUT') return res.writeHead(200).end('{}');
    posts.push({ at: performance.now(), items: body.length });
    const answer = answers[posts.length - 1];
    if (answer) return answer(res, body);
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: body.length }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts };
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

const busy =
  (retryAfter: string | null): Answer =>
  (res) =>
    res
      .writeHead(503, {
        'content-type': 'application/json',
        ...(retryAfter !== null && { 'retry-after': retryAfter }),
      })
      .end(JSON.stringify({ message: 'bus topic mantis.readings.v1 is full' }));

const run = (url: string, seconds: number, signal?: AbortSignal) =>
  runSimulator({ url, token: 't', speed: 0, durationSeconds: seconds, signal });

describe('runSimulator', () => {
  it('sends a 503-refused batch again no sooner than its Retry-After, and counts each retry', async () => {
    const server = await ingest([busy('1'), busy('1')]);
    const progress = await run(server.url, 2);
    const [first, second, third] = server.posts;
    expect(second.at - first.at).toBeGreaterThanOrEqual(999);
    expect(third.at - second.at).toBeGreaterThanOrEqual(999);
    // The refused batch is the one taken at last: nothing skipped, nothing counted twice.
    expect(third.items).toBe(first.items);
    expect(progress).toEqual({
      second: 2,
      accepted: server.posts.slice(2).reduce((sum, p) => sum + p.items, 0),
      rejected: 0,
      retries: 2,
    });
  });

  it('backs off with jitter after a connection lost or a 503 without Retry-After', async () => {
    const server = await ingest([(res) => res.socket?.destroy(), busy(null)]);
    const progress = await run(server.url, 1);
    const [first, second, third] = server.posts;
    // Equal jitter from a 500 ms base: 250–500 ms, then 500–1000 ms.
    expect(second.at - first.at).toBeGreaterThanOrEqual(249);
    expect(third.at - second.at).toBeGreaterThanOrEqual(499);
    expect(progress).toEqual({ second: 1, accepted: third.items, rejected: 0, retries: 2 });
  });

  it('throws at once on an answer retrying cannot cure', async () => {
    const server = await ingest([
      (res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad token"}'),
    ]);
    await expect(run(server.url, 3)).rejects.toThrow('ingest answered 401: bad token');
    expect(server.posts).toHaveLength(1);
  });

  it('stops at once when aborted during a long Retry-After, without error', async () => {
    const server = await ingest([busy('120')]);
    const controller = new AbortController();
    const started = performance.now();
    const running = run(server.url, 5, controller.signal);
    setTimeout(() => controller.abort(), 200);
    await expect(running).resolves.toEqual({ second: 0, accepted: 0, rejected: 0, retries: 1 });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(server.posts).toHaveLength(1);
  });
});
