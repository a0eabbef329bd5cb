import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { InfluxWriteError } from './errors.ts';
import { parseInfluxUrl } from './url.ts';
import { InfluxWriter } from './writer.ts';

/**
 * An HTTP server where InfluxDB's write endpoint would be, answering with `answers` in turn (then 204), to
 * drive the answers a real server gives only under load (429, 503 with Retry-After). Notes each request.
 */
async function influx(answers: ((res: ServerResponse) => void)[]) {
  const requests: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push(performance.now());
      const answer = answers[requests.length - 1];
      if (answer) answer(res);
      else res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: (query: string) => `influxdb://127.0.0.1:${port}/mantis?flushMs=1${query}`, requests };
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

const refuse =
  (status: number, headers: Record<string, string> = {}) =>
  (res: ServerResponse) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{"error":"busy"}');

describe('InfluxWriter retries', () => {
  it('waits at least the Retry-After of a 429 before sending the request again', async () => {
    const server = await influx([refuse(429, { 'retry-after': '1' })]);
    const retries: [string, number, number][] = [];
    const writer = new InfluxWriter(parseInfluxUrl(server.url(''), {}), {
      retry: (err: InfluxWriteError, attempt, delayMs) =>
        retries.push([err.failure.code ?? '', attempt, delayMs]),
    });
    await writer.write(['m v=1 1']);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1] - server.requests[0]).toBeGreaterThanOrEqual(999);
    expect(retries).toEqual([['HTTP_429', 1, 1000]]);
    await writer.close();
  });

  it('gives a transient failure back to the caller once retryMs is spent', async () => {
    const server = await influx(Array.from({ length: 100 }, () => refuse(503)));
    const writer = new InfluxWriter(parseInfluxUrl(server.url('&retryMs=300'), {}));
    const started = performance.now();
    await expect(writer.write(['m v=1 1'])).rejects.toMatchObject({
      failure: { kind: 'transient', code: 'HTTP_503' },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(299);
    // Backoff from 50–100 ms: tried again within the budget, not given back at the first failure.
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    await writer.close();
  });

  it('does not retry a request InfluxDB refuses for its points', async () => {
    const server = await influx([refuse(400)]);
    const writer = new InfluxWriter(parseInfluxUrl(server.url(''), {}));
    await expect(writer.write(['m v=1 1'])).rejects.toMatchObject({
      failure: { kind: 'record', code: 'HTTP_400' },
    });
    expect(server.requests).toHaveLength(1);
    await writer.close();
  });
});
