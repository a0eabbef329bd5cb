import { describe, expect, it } from 'vitest';
import { rowGroups } from './export-parquet.ts';
import { pagesByTime } from './export-run.ts';
import { fileMetadata, parquetSchema, readingColumns, WINDOW_COLUMNS } from './export-schema.ts';

/** Rows at the given times, and a read over them that answers like a store: in [from, to), at most limit. */
function store(times: number[]) {
  const calls: [number, number][] = [];
  const read = async (from: number, to: number, limit: number) => {
    calls.push([from, to]);
    return times.filter((t) => t >= from && t < to).slice(0, limit);
  };
  return { read, calls };
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const p of pages) out.push(p);
  return out;
}

describe('pagesByTime', () => {
  it('returns every row once, in order, in pages under the limit, whatever the density', async () => {
    // Sparse hours, then a burst of 1 000 rows within one second, then sparse again.
    const times = [
      ...Array.from({ length: 20 }, (_, i) => i * 600_000),
      ...Array.from({ length: 1000 }, (_, i) => 13_000_000 + i),
      ...Array.from({ length: 20 }, (_, i) => 20_000_000 + i * 900_000),
    ];
    const { read } = store(times);
    const pages = await collect(pagesByTime(read, 0, 40_000_000, 100));
    expect(pages.flat()).toEqual(times);
    for (const page of pages) expect(page.length).toBeLessThan(100);
  });

  it('reads an empty range without yielding', async () => {
    const { read, calls } = store([]);
    expect(await collect(pagesByTime(read, 0, 86_400_000, 10))).toEqual([]);
    expect(calls.length).toBeLessThan(30);
  });

  it('fails clearly when one millisecond holds more rows than a page', async () => {
    const read = async (_from: number, _to: number, limit: number) => new Array(limit).fill(5);
    await expect(collect(pagesByTime(read, 0, 10, 4))).rejects.toThrow(
      'more than 3 rows at 1970-01-01T00:00:00.000Z',
    );
  });
});

describe('row groups and schema', () => {
  it('turns pages into column batches of the row group size', async () => {
    const columns = readingColumns('pump-1');
    async function* pages() {
      yield [1, 2, 3].map((ts) => ({ sensorId: 's', ts, value: ts / 2 }));
      yield [4, 5].map((ts) => ({ sensorId: 's', ts, value: ts / 2 }));
    }
    const batches = await collect(rowGroups(columns, pages(), 2));
    expect(batches.map((b) => b[2])).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches[0]).toEqual([
      ['pump-1', 'pump-1'],
      ['s', 's'],
      [1, 2],
      [0.5, 1],
    ]);
  });

  it('types timestamps as UTC milliseconds and band energies as a standard LIST', () => {
    const schema = parquetSchema(WINDOW_COLUMNS as never);
    expect(schema[0]).toEqual({ name: 'root', num_children: WINDOW_COLUMNS.length });
    expect(schema.find((e) => e.name === 'window_start')).toMatchObject({
      type: 'INT64',
      repetition_type: 'REQUIRED',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    });
    const list = schema.findIndex((e) => e.name === 'band_energies');
    expect(schema.slice(list, list + 3)).toMatchObject([
      { repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED' },
      { name: 'element', type: 'DOUBLE' },
    ]);
  });

  it('states units, range and sensors in the key/value metadata', () => {
    const kv = fileMetadata(readingColumns('pump-1') as never, {
      dataset: 'readings',
      assetId: 'pump-1',
      date: '2025-11-30',
      from: Date.UTC(2025, 10, 30),
      to: Date.UTC(2025, 11, 1),
      rows: 42,
      source: 'raw store (database)',
      sensors: [{ id: 'pump-1.temp', kind: 'temperature', unit: '°C' }],
      version: '1.2.3',
    });
    const meta = Object.fromEntries(kv.map((e) => [e.key, e.value]));
    expect(meta).toMatchObject({
      'mantis.dataset': 'readings',
      'mantis.from': '2025-11-30T00:00:00.000Z',
      'mantis.to': '2025-12-01T00:00:00.000Z',
      'mantis.rows': '42',
      'mantis.version': '1.2.3',
    });
    expect(JSON.parse(meta['mantis.sensors'] ?? '')).toEqual({
      'pump-1.temp': { kind: 'temperature', unit: '°C' },
    });
    expect(JSON.parse(meta['mantis.columns'] ?? '')[2]).toEqual({
      name: 'ts',
      type: 'TIMESTAMP',
      required: true,
      unit: 'UTC',
      description: 'time of the reading',
    });
  });
});
