import type { Sensor } from '../domain/types.ts';
import type { ObjectStore } from '../storage/ports/object-store.ts';
import { type ColumnBatch, parquetFile, rowGroups } from './export-parquet.ts';
import type { Partition } from './export-plan.ts';
import { type ColumnSpec, type FileFacts, fileMetadata } from './export-schema.ts';

/** An asset as an export partition needs it: its sensors (retired ones too) with their kinds and units. */
export interface ExportAsset {
  id: string;
  sensors: Pick<Sensor, 'id' | 'kind' | 'unit'>[];
}

/** Where one dataset's rows come from, through the storage ports. */
export interface ExportSource<T> {
  dataset: FileFacts['dataset'];
  resolution?: string;
  /** Said in each file's `mantis.source`. */
  source: string;
  columns(asset: ExportAsset): ColumnSpec<T>[];
  /** At most `limit` of the asset's rows in [from, to) (epoch ms), oldest first. */
  read(asset: ExportAsset, from: number, to: number, limit: number): Promise<T[]>;
}

export interface ExportOptions {
  /** null: a dry run, which reads and counts but writes nothing. */
  store: ObjectStore | null;
  partitions: Partition[];
  /** The asset of each partition's assetId. */
  assets: Map<string, ExportAsset>;
  /** Rows asked of the store per read. */
  pageRows: number;
  rowGroupRows: number;
  version: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ExportedFile {
  key: string;
  rows: number;
  /** 0 on a dry run. */
  bytes: number;
  sha256: string | null;
}

export interface ExportResult {
  files: ExportedFile[];
  rows: number;
  bytes: number;
}

const HOUR_MS = 3_600_000;

/** Rows asked of a store per read, and rows per Parquet row group (hyparquet-writer's own default size). */
export const PAGE_ROWS = 50_000;
export const ROW_GROUP_ROWS = 100_000;

/**
 * Reads [from, to) page by page through a read that takes a time range and a row limit: each page is a
 * time span whose rows all fit under `limit`. A full answer may have been cut, so it is read again over a
 * quarter of the span; otherwise the next span is sized from the rows per millisecond just seen, aiming at
 * half the limit. Ranges rather than keyset cursors, because every raw store answers a time range (InfluxDB
 * cannot OR a time condition). Throws when one millisecond holds `limit` rows or more.
 */
export async function* pagesByTime<T>(
  read: (from: number, to: number, limit: number) => Promise<T[]>,
  from: number,
  to: number,
  limit: number,
): AsyncGenerator<T[]> {
  let span = HOUR_MS;
  let cursor = from;
  while (cursor < to) {
    const end = Math.min(to, cursor + span);
    const rows = await read(cursor, end, limit);
    if (rows.length >= limit) {
      if (end - cursor <= 1)
        throw new Error(
          `more than ${limit - 1} rows at ${new Date(cursor).toISOString()}: raise the page size`,
        );
      span = Math.max(1, Math.floor((end - cursor) / 4));
      continue;
    }
    if (rows.length > 0) yield rows;
    const perMs = rows.length / (end - cursor);
    span = Math.max(1, Math.min(span * 4, perMs > 0 ? Math.floor(limit / 2 / perMs) : span * 4));
    cursor = end;
  }
}

/** The first batch of an iterator, and an iterable of it followed by the rest (null when there is none). */
async function peek(batches: AsyncGenerator<ColumnBatch>): Promise<AsyncIterable<ColumnBatch> | null> {
  const first = await batches.next();
  if (first.done) return null;
  return (async function* () {
    yield first.value;
    yield* batches;
  })();
}

/**
 * Exports the partitions one after the other, each streamed from the source into one Parquet file under its
 * key: the rows of one row group are held at a time, never a whole partition. A partition without rows
 * writes nothing (files of earlier exports there stay: an export is an archive, and retention may have
 * dropped the rows since). Throws the first failure of the source or the store; files already written stay.
 */
export async function exportPartitions<T>(
  source: ExportSource<T>,
  options: ExportOptions,
): Promise<ExportResult> {
  const result: ExportResult = { files: [], rows: 0, bytes: 0 };
  const { partitions, onProgress } = options;
  onProgress?.(0, partitions.length);
  for (const [i, partition] of partitions.entries()) {
    const asset = options.assets.get(partition.assetId);
    if (!asset) throw new Error(`asset ${partition.assetId} is not in the plan's assets`);
    const columns = source.columns(asset);
    const limit = Math.max(options.pageRows, asset.sensors.length + 1);
    const pages = pagesByTime(
      (from, to, n) => source.read(asset, from, to, n),
      partition.from,
      partition.to,
      limit,
    );
    let rows = 0;
    const counted = (async function* () {
      for await (const batch of rowGroups(columns, pages, options.rowGroupRows)) {
        rows += batch[0].length;
        yield batch;
      }
    })();
    const batches = await peek(counted);
    if (batches) {
      const file = await writePartition(source, options, partition, asset, columns, batches, () => rows);
      result.files.push({ ...file, rows });
      result.rows += rows;
      result.bytes += file.bytes;
    }
    onProgress?.(i + 1, partitions.length);
  }
  return result;
}

async function writePartition<T>(
  source: ExportSource<T>,
  options: ExportOptions,
  partition: Partition,
  asset: ExportAsset,
  columns: ColumnSpec<T>[],
  batches: AsyncIterable<ColumnBatch>,
  rows: () => number,
): Promise<Omit<ExportedFile, 'rows'>> {
  if (!options.store) {
    for await (const _ of batches); // a dry run counts the rows
    return { key: partition.key, bytes: 0, sha256: null };
  }
  const metadata = () =>
    fileMetadata(columns as ColumnSpec<never>[], {
      dataset: source.dataset,
      resolution: source.resolution,
      assetId: asset.id,
      date: partition.date,
      from: partition.from,
      to: partition.to,
      rows: rows(),
      source: source.source,
      sensors: asset.sensors,
      version: options.version,
    });
  const body = parquetFile(
    columns,
    batches,
    metadata,
    `mantis version ${options.version} (hyparquet-writer)`,
  );
  const info = await options.store.put(partition.key, body, {
    contentType: 'application/vnd.apache.parquet',
  });
  return { key: partition.key, bytes: info.size, sha256: info.sha256 };
}
