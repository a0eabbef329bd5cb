/**
 * W1 load generator, run as its own process so that it does not share the server's event loop:
 * 1 000 assets × 10 scalar sensors, one reading per sensor per tick, sent as batches of 500 items.
 * Usage: node bench/load.ts <url> <token> <json|ndjson> <seconds> <concurrency> <t0> [readings/s]
 * Without a rate it sends as fast as ingest answers (open loop); with one it paces batches to that rate.
 */
import { Pool } from 'undici';

const [url, token, format, seconds, concurrency, t0, rate] = process.argv.slice(2);
const ASSETS = 1000;
const SENSORS = 10;
const BATCH = 500;
const perTick = ASSETS * SENSORS;
const pool = new Pool(url, { connections: Number(concurrency) });

function batch(n: number): string {
  const tick = Math.floor((n * BATCH) / perTick);
  const offset = (n * BATCH) % perTick;
  const ts = Number(t0) + tick * 1000;
  const items = Array.from({ length: BATCH }, (_, i) => {
    const s = offset + i;
    return {
      sensorId: `a${Math.floor(s / SENSORS)}.s${s % SENSORS}`,
      ts,
      value: Math.round(Math.sin(s + tick) * 1000) / 100,
    };
  });
  return format === 'ndjson' ? items.map((i) => JSON.stringify(i)).join('\n') : JSON.stringify(items);
}

const deadline = Date.now() + Number(seconds) * 1000;
let next = 0;
let accepted = 0;
let retries = 0;
const started = Date.now();

async function worker() {
  while (Date.now() < deadline) {
    const n = next++;
    if (rate) {
      const due = started + ((n * BATCH) / Number(rate)) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    const body = batch(n);
    for (;;) {
      const response = await pool.request({
        path: '/v1/readings',
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': format === 'ndjson' ? 'application/x-ndjson' : 'application/json',
        },
        body,
      });
      const text = await response.body.text();
      if (response.statusCode === 202) {
        accepted += JSON.parse(text).accepted;
        break;
      }
      if (response.statusCode !== 503) throw new Error(`ingest answered ${response.statusCode}: ${text}`);
      retries++;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, worker));
await pool.close();
process.stdout.write(
  `${JSON.stringify({ accepted, batches: next, retries, seconds: (Date.now() - started) / 1000 })}\n`,
);
