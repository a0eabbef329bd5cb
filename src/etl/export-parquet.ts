import type { KeyValue } from 'hyparquet';
// hyparquet-writer: pure JavaScript (no native build, no install scripts), MIT, maintained with the hyparquet
// reader; it writes typed columns, row groups one at a time and key/value metadata, which a streamed export needs.
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { type ColumnSpec, parquetSchema } from './export-schema.ts';

/** Rows of one row group, column by column, in the order of the column specs. */
export type ColumnBatch = unknown[][];

/** Takes the bytes written so far out of the writer; what follows is written from its start again. */
function take(writer: ByteWriter): Uint8Array {
  const bytes = writer.getBytes().slice();
  writer.index = 0;
  return bytes;
}

/**
 * A Parquet file as a stream of byte chunks: the header, then one row group per batch as it arrives, then
 * the footer with `metadata()` (called once every batch is written, so that it may state the row count).
 * Only one row group is held at a time. SNAPPY-compressed, with column statistics.
 */
export async function* parquetFile<T>(
  columns: ColumnSpec<T>[],
  batches: AsyncIterable<ColumnBatch>,
  metadata: () => KeyValue[],
  createdBy: string,
): AsyncGenerator<Uint8Array> {
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({
    writer,
    schema: parquetSchema(columns as ColumnSpec<never>[]),
    createdBy,
  });
  for await (const batch of batches) {
    const rows = batch[0]?.length ?? 0;
    if (rows === 0) continue;
    await parquet.write({
      columnData: columns.map((c, i) => ({ name: c.name, data: batch[i] })),
      rowGroupSize: rows,
    });
    yield take(writer);
  }
  parquet.kvMetadata = metadata();
  await parquet.finish();
  yield take(writer);
}

/**
 * Turns pages of rows into row groups of `rowGroupRows` (the last one shorter), column by column. Rows are
 * converted as they come, so at most one row group and one page are held.
 */
export async function* rowGroups<T>(
  columns: ColumnSpec<T>[],
  pages: AsyncIterable<T[]>,
  rowGroupRows: number,
): AsyncGenerator<ColumnBatch> {
  let batch: ColumnBatch = columns.map(() => []);
  for await (const page of pages) {
    for (const row of page) {
      for (let i = 0; i < columns.length; i++) batch[i].push(columns[i].value(row));
      if (batch[0].length >= rowGroupRows) {
        yield batch;
        batch = columns.map(() => []);
      }
    }
  }
  if (batch[0].length > 0) yield batch;
}
