import type { StoreFailure } from '../ports/failures.ts';
import type { RawRows, RawStore, SensorSignal, StoredReading } from '../ports/raw-store.ts';
import { InfluxWriteError } from './errors.ts';
import { encodePoint, msToNs, nsToMs, sampleTimeNs } from './line-protocol.ts';
import { flux, fluxString, influxQl, nsToRfc3339, ping, rfc3339ToNs } from './query.ts';
import { type InfluxTarget, parseInfluxUrl } from './url.ts';
import { InfluxWriter, type WriterEvents } from './writer.ts';

/**
 * Raw data in InfluxDB, tagged `asset` and `sensor` (a series per sensor and measurement: cardinality grows
 * with the fleet, never with time or data):
 * - `readings`: one point per scalar reading, field `value`, at its time;
 * - `samples`: one point per sample of a block, field `value`, at ts + i/rate (nanoseconds), so that
 *   InfluxQL, Flux and the continuous queries aggregate vibration like any series;
 * - `blocks`: one point per block at its start, fields `rate_hz` and `samples` (how many), which the
 *   signal endpoint needs to cut the latest block back out of `samples`.
 * A replay writes the same series and timestamps again: InfluxDB overwrites, nothing doubles.
 */
export const MEASUREMENTS = { readings: 'readings', samples: 'samples', blocks: 'blocks' } as const;

/**
 * The longest the readiness probe waits for InfluxDB (ms): a hung server must make /health/ready answer
 * "not ready" promptly rather than after a write's `timeoutMs`.
 */
export const PROBE_TIMEOUT_MS = 2000;

/** Which asset each sensor belongs to (the registry's answer); sensors it does not know are left out. */
export type AssetLookup = (sensorIds: string[]) => Promise<Map<string, string>>;

export interface InfluxRawStoreOptions {
  /** Tags each point with its sensor's asset. */
  assetOf: AssetLookup;
  events?: WriterEvents;
  env?: Record<string, string | undefined>;
}

export interface InfluxRawStore extends RawStore {
  readonly target: InfluxTarget;
  /** Points held by the writer, not yet acknowledged. */
  bufferedPoints(): number;
}

/** The InfluxDB raw store for an `influxdb://` or `influxdb2://` URL (see parseInfluxUrl). */
export function influxRawStore(url: string, options: InfluxRawStoreOptions): InfluxRawStore {
  const target = parseInfluxUrl(url, options.env);
  const writer = new InfluxWriter(target, options.events);
  const assets = new Map<string, string>();

  async function tags(sensorIds: Iterable<string>): Promise<(sensorId: string) => Record<string, string>> {
    const missing = [...new Set(sensorIds)].filter((id) => !assets.has(id));
    if (missing.length > 0) for (const [id, asset] of await options.assetOf(missing)) assets.set(id, asset);
    return (sensor): Record<string, string> => {
      const asset = assets.get(sensor);
      return asset ? { asset, sensor } : { sensor };
    };
  }

  return {
    kind: 'influxdb',
    target,
    async write({ scalars, blocks }: RawRows) {
      if (scalars.length === 0 && blocks.length === 0) return;
      const tagsOf = await tags([...scalars, ...blocks].map((r) => r.sensorId));
      const lines: string[] = [];
      for (const r of scalars) {
        const point = {
          measurement: MEASUREMENTS.readings,
          tags: tagsOf(r.sensorId),
          fields: { value: r.value },
        };
        lines.push(encodePoint({ ...point, timeNs: msToNs(r.ts) }));
      }
      for (const b of blocks) {
        const start = msToNs(b.ts);
        const t = tagsOf(b.sensorId);
        const fields = { rate_hz: b.rateHz, samples: BigInt(b.values.length) };
        lines.push(encodePoint({ measurement: MEASUREMENTS.blocks, tags: t, fields, timeNs: start }));
        for (let i = 0; i < b.values.length; i++) {
          const timeNs = sampleTimeNs(start, i, b.rateHz);
          lines.push(
            encodePoint({
              measurement: MEASUREMENTS.samples,
              tags: t,
              fields: { value: b.values[i] },
              timeNs,
            }),
          );
        }
      }
      await writer.write(lines);
    },
    readSignal: (sensorId, from, to, limit) =>
      target.api === 'v1'
        ? signalV1(target, sensorId, from, to, limit)
        : signalV2(target, sensorId, from, to, limit),
    readReadings: async (from, to, limit, sensorIds) => {
      if (sensorIds?.length === 0) return [];
      return target.api === 'v1'
        ? readingsV1(target, from, to, limit, sensorIds)
        : readingsV2(target, from, to, limit, sensorIds);
    },
    bufferedPoints: () => writer.bufferedPoints(),
    classify: classifyInfluxError,
    async ping() {
      const version = await ping({ ...target, timeoutMs: Math.min(target.timeoutMs, PROBE_TIMEOUT_MS) });
      // The URL holds no credentials: parseInfluxUrl refuses them (they come from the environment).
      return `InfluxDB ${version} at ${url}, ${writer.bufferedPoints()} points buffered`;
    },
    close: () => writer.close(),
  };
}

/**
 * The failure an InfluxDB write error stands for (see InfluxWriteError: transient, store or record), with
 * its HTTP code as the metrics reason; null for an error that is not the writer's.
 */
export function classifyInfluxError(err: unknown): StoreFailure | null {
  if (!(err instanceof InfluxWriteError)) return null;
  const { kind, code, message } = err.failure;
  return {
    kind,
    code,
    message,
    reason: code ?? 'other',
    details: { message, ...(code && { code }), ...(err.status !== null && { status: String(err.status) }) },
  };
}

const ns = (text: unknown) => rfc3339ToNs(String(text));
/** Sample values read back, in time order: at most `n` from `startNs` up to the block's end. */
type Block = { startNs: bigint; rateHz: number; n: number };
const blockEnd = (b: Block) => sampleTimeNs(b.startNs, b.n, b.rateHz);

async function signalV1(t: InfluxTarget, sensorId: string, from: number, to: number, limit: number) {
  const range = `time >= ${msToNs(from)} AND time < ${msToNs(to)}`;
  const [readings, blocks] = await influxQl(
    t,
    `SELECT "value" FROM "${MEASUREMENTS.readings}" WHERE "sensor" = $sensor AND ${range} ORDER BY time DESC LIMIT ${limit};` +
      `SELECT "rate_hz", "samples" FROM "${MEASUREMENTS.blocks}" WHERE "sensor" = $sensor AND ${range} ORDER BY time DESC LIMIT 1`,
    { sensor: sensorId },
  );
  const signal: SensorSignal = {
    readings: (readings[0]?.values ?? [])
      .map(([time, value]) => ({ ts: nsToMs(ns(time)), value: Number(value) }))
      .reverse(),
    block: null,
  };
  const row = blocks[0]?.values[0];
  if (!row) return signal;
  const block = { startNs: ns(row[0]), rateHz: Number(row[1]), n: Number(row[2]) };
  const [samples] = await influxQl(
    t,
    `SELECT "value" FROM "${MEASUREMENTS.samples}" WHERE "sensor" = $sensor AND time >= ${block.startNs} AND time < ${blockEnd(block)} ORDER BY time ASC LIMIT ${block.n}`,
    { sensor: sensorId },
  );
  const values = (samples[0]?.values ?? []).map((v) => Number(v[1]));
  signal.block = { ts: nsToMs(block.startNs), rateHz: block.rateHz, values };
  return signal;
}

async function readingsV1(
  t: InfluxTarget,
  from: number,
  to: number,
  limit: number,
  sensorIds?: readonly string[],
): Promise<StoredReading[]> {
  // Sensor ids travel as bound parameters ($s0, $s1…), never spliced into the query.
  const params = Object.fromEntries((sensorIds ?? []).map((id, i) => [`s${i}`, id]));
  const only = sensorIds ? ` AND (${sensorIds.map((_, i) => `"sensor" = $s${i}`).join(' OR ')})` : '';
  const [series] = await influxQl(
    t,
    `SELECT "value", "sensor" FROM "${MEASUREMENTS.readings}" WHERE time >= ${msToNs(from)} AND time < ${msToNs(to)}${only} LIMIT ${limit}`,
    params,
  );
  return sortReadings(
    (series[0]?.values ?? []).map(([time, value, sensor]) => ({
      sensorId: String(sensor),
      ts: nsToMs(ns(time)),
      value: Number(value),
    })),
  );
}

/** Oldest first, then by sensor: the order of the database's export. */
function sortReadings(rows: StoredReading[]): StoredReading[] {
  return rows.sort((a, b) => a.ts - b.ts || (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0));
}

const fluxRange = (from: bigint, to: bigint) =>
  `range(start: ${nsToRfc3339(from)}, stop: ${nsToRfc3339(to)})`;

/**
 * `_time < stop` again after range(): InfluxDB 1.8.3's range() also returns points at its stop time
 * (influxdata/influxdb#19966), InfluxDB 2 does not; the filter makes both answer [from, to).
 */
function fluxFrom(t: InfluxTarget, from: bigint, to: bigint, measurement: string, extra = ''): string {
  return `from(bucket: ${fluxString(t.bucket)}) |> ${fluxRange(from, to)} |> filter(fn: (r) => r._measurement == ${fluxString(measurement)} and r._time < ${nsToRfc3339(to)}${extra})`;
}

async function signalV2(t: InfluxTarget, sensorId: string, from: number, to: number, limit: number) {
  const [fromNs, toNs] = [msToNs(from), msToNs(to)];
  const sensor = ` and r.sensor == ${fluxString(sensorId)}`;
  const readings = await flux(
    t,
    `${fluxFrom(t, fromNs, toNs, MEASUREMENTS.readings, ` and r._field == "value"${sensor}`)} |> group() |> sort(columns: ["_time"], desc: true) |> limit(n: ${limit}) |> keep(columns: ["_time", "_value"])`,
  );
  const signal: SensorSignal = {
    readings: readings.map((r) => ({ ts: nsToMs(ns(r._time)), value: Number(r._value) })).reverse(),
    block: null,
  };
  const [row] = await flux(
    t,
    `${fluxFrom(t, fromNs, toNs, MEASUREMENTS.blocks, sensor)} |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value") |> group() |> sort(columns: ["_time"], desc: true) |> limit(n: 1) |> keep(columns: ["_time", "rate_hz", "samples"])`,
  );
  if (!row) return signal;
  const block = { startNs: ns(row._time), rateHz: Number(row.rate_hz), n: Number(row.samples) };
  const samples = await flux(
    t,
    `${fluxFrom(t, block.startNs, blockEnd(block), MEASUREMENTS.samples, ` and r._field == "value"${sensor}`)} |> group() |> sort(columns: ["_time"]) |> limit(n: ${block.n}) |> keep(columns: ["_time", "_value"])`,
  );
  signal.block = {
    ts: nsToMs(block.startNs),
    rateHz: block.rateHz,
    values: samples.map((s) => Number(s._value)),
  };
  return signal;
}

async function readingsV2(
  t: InfluxTarget,
  from: number,
  to: number,
  limit: number,
  sensorIds?: readonly string[],
): Promise<StoredReading[]> {
  const only = sensorIds
    ? ` and contains(value: r.sensor, set: [${sensorIds.map(fluxString).join(', ')}])`
    : '';
  const rows = await flux(
    t,
    `${fluxFrom(t, msToNs(from), msToNs(to), MEASUREMENTS.readings, ` and r._field == "value"${only}`)} |> group() |> sort(columns: ["_time", "sensor"]) |> limit(n: ${limit}) |> keep(columns: ["_time", "_value", "sensor"])`,
  );
  return sortReadings(
    rows.map((r) => ({ sensorId: r.sensor, ts: nsToMs(ns(r._time)), value: Number(r._value) })),
  );
}
