import { validateObjectKey } from '../storage/ports/object-store.ts';

/**
 * What `mantis etl export-features` and `export-readings` write, and where: one Parquet file per UTC day and
 * asset, under Hive-style keys that DuckDB, pyarrow, Spark and Athena read as partition columns:
 *
 *   <prefix>/features/resolution=<window|1m|1h|1d>/date=<YYYY-MM-DD>/asset=<id>/part-0.parquet
 *   <prefix>/readings/date=<YYYY-MM-DD>/asset=<id>/part-0.parquet
 *
 * The same range exported again writes the same keys (the object store replaces each atomically).
 */

/** A flag value that cannot be used (exit 2): names the flag and the reason. */
export class ExportFlagError extends Error {
  readonly flag: string;
  constructor(flag: string, reason: string) {
    super(`${flag}: ${reason}`);
    this.flag = flag;
  }
}

export type ExportDataset = 'features' | 'readings';

/** `window`: the stored windows; `1m`, `1h`, `1d`: the roll-up buckets of that width. */
export const FEATURE_RESOLUTIONS = ['window', '1m', '1h', '1d'] as const;
export type FeatureResolution = (typeof FEATURE_RESOLUTIONS)[number];

export const DEFAULT_PREFIX = 'exports';
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A time must say its zone (Z or ±hh:mm): a local time would mean a different instant on each machine.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether y-m-d names a real calendar day (Date.UTC would roll 2026-02-30 over to March). */
function realDay(y: string, m: string, d: string): boolean {
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return day.getUTCMonth() === Number(m) - 1 && day.getUTCDate() === Number(d);
}

/**
 * An instant from a flag: epoch milliseconds (digits), an ISO 8601 date (`2026-11-30`, midnight UTC) or an
 * ISO 8601 date-time with its zone (`2026-11-30T06:00:00Z`, `…+01:00`). Returns epoch ms; throws
 * ExportFlagError naming the flag otherwise.
 */
export function parseInstant(flag: string, text: string): number {
  const expected = 'expected an ISO 8601 time with its zone (2026-11-30T06:00:00Z), a date, or epoch ms';
  if (/^\d{1,15}$/.test(text)) {
    const ms = Number(text);
    // Epoch ms before 1973 are almost always epoch seconds given by mistake (1764460800 is 1970-01-21 in ms).
    if (ms < 1e11)
      throw new ExportFlagError(
        flag,
        `${text} looks like epoch seconds (as ms it is ${new Date(ms).toISOString()}); give epoch milliseconds or an ISO 8601 time`,
      );
    return ms;
  }
  const date = DATE.exec(text) ?? DATE_TIME.exec(text);
  if (!date) throw new ExportFlagError(flag, `${expected}, got "${text}"`);
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || !realDay(date[1], date[2], date[3]))
    throw new ExportFlagError(flag, `"${text}" is not a valid time`);
  return ms;
}

/** The longest range one export or roll-up run takes, in days (ten years): longer ones are split. */
export const MAX_RANGE_DAYS = 3660;

/** Throws ExportFlagError on --to when [from, to) spans more than `maxDays` days. */
export function checkSpan(from: number, to: number, maxDays: number): void {
  const days = Math.ceil((to - from) / 86_400_000);
  if (days > maxDays)
    throw new ExportFlagError(
      '--to',
      `the range spans ${days} days, more than ${maxDays} in one run; split it into several runs`,
    );
}

/**
 * [from, to) in epoch ms, from the flags; throws ExportFlagError when either is bad, from is not before to,
 * or the range spans more than MAX_RANGE_DAYS.
 */
export function parseRange(fromText: string, toText: string): { from: number; to: number } {
  const from = parseInstant('--from', fromText);
  const to = parseInstant('--to', toText);
  if (from >= to) throw new ExportFlagError('--from', `must be before --to (${fromText} ≥ ${toText})`);
  checkSpan(from, to, MAX_RANGE_DAYS);
  return { from, to };
}

/** Checks --resolution; returns it. */
export function parseResolution(text: string): FeatureResolution {
  if (!(FEATURE_RESOLUTIONS as readonly string[]).includes(text))
    throw new ExportFlagError(
      '--resolution',
      `expected one of ${FEATURE_RESOLUTIONS.join(', ')}, got "${text}"`,
    );
  return text as FeatureResolution;
}

/** Checks --prefix: folders of object keys, without a leading or trailing `/`. Returns it. */
export function parsePrefix(text: string): string {
  try {
    validateObjectKey(`${text}/x`);
  } catch (err) {
    throw new ExportFlagError('--prefix', `"${text}" cannot start object keys: ${(err as Error).message}`);
  }
  return text;
}

/** One UTC day of the range: its date and the part of [from, to) inside it. */
export interface DaySlice {
  /** YYYY-MM-DD, UTC. */
  date: string;
  from: number;
  to: number;
}

/** The UTC days [from, to) touches, oldest first, each clipped to the range. */
export function utcDays(from: number, to: number): DaySlice[] {
  const days: DaySlice[] = [];
  for (let start = Math.floor(from / DAY_MS) * DAY_MS; start < to; start += DAY_MS) {
    days.push({
      date: new Date(start).toISOString().slice(0, 10),
      from: Math.max(from, start),
      to: Math.min(to, start + DAY_MS),
    });
  }
  return days;
}

/** One file to write: an asset's rows of one UTC day. */
export interface Partition extends DaySlice {
  assetId: string;
  key: string;
}

/**
 * A Hive partition value: characters other than letters, digits, `.`, `_` and `-` as %XX (UTF-8), as Hive
 * escapes path names, so that `asset=line:1` stays one valid segment that readers decode back.
 */
export function hiveValue(value: string): string {
  return Array.from(new TextEncoder().encode(value), (byte) => {
    const c = String.fromCharCode(byte);
    return /[A-Za-z0-9._-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** The folder of a dataset: `<prefix>/features/resolution=<r>` or `<prefix>/readings`. */
export function datasetPrefix(
  prefix: string,
  dataset: ExportDataset,
  resolution?: FeatureResolution,
): string {
  return dataset === 'features'
    ? `${prefix}/features/resolution=${resolution ?? 'window'}`
    : `${prefix}/readings`;
}

/** The object key of one partition's file (see the layout above). */
export function partitionKey(datasetFolder: string, date: string, assetId: string, part = 0): string {
  return `${datasetFolder}/date=${date}/asset=${hiveValue(assetId)}/part-${part}.parquet`;
}

/** Every partition of the range, day after day and by asset id within a day: one file each at most. */
export function planPartitions(
  datasetFolder: string,
  from: number,
  to: number,
  assetIds: string[],
): Partition[] {
  const assets = [...new Set(assetIds)].sort();
  return utcDays(from, to).flatMap((day) =>
    assets.map((assetId) => ({ ...day, assetId, key: partitionKey(datasetFolder, day.date, assetId) })),
  );
}
