import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type Availability, executableAvailable, requireInfra } from './infra.ts';

/** The Python of the virtual environment scripts/stack/parquet-readers.sh installs pyarrow into. */
export const PYARROW_PYTHON = execFileSync(
  resolve(import.meta.dirname, '../../scripts/stack/parquet-readers.sh'),
  ['path'],
  { encoding: 'utf8' },
).trim();

/** Skips (or, with MANTIS_REQUIRE_INFRA=1, fails) a suite when pyarrow is not installed. */
export async function pyarrowAvailable(): Promise<Availability> {
  const python = await executableAvailable(PYARROW_PYTHON);
  if (!python.available) return python;
  const probe = spawnSync(PYARROW_PYTHON, ['-c', 'import pyarrow.parquet'], { encoding: 'utf8' });
  if (probe.status === 0) return { available: true, reason: '' };
  const reason = `pyarrow does not import in ${PYARROW_PYTHON}: ${probe.stderr.trim()}`;
  if (requireInfra)
    throw new Error(`${reason} (MANTIS_REQUIRE_INFRA=1; run scripts/stack/parquet-readers.sh install)`);
  process.stderr.write(`skipping: ${reason}\n`);
  return { available: false, reason };
}

/** Where pyarrow reads: local paths, or keys of a bucket on an S3 endpoint through pyarrow's own S3 client. */
export type ParquetLocation =
  | { files: string[] }
  | { files: string[]; s3: { endpoint: string; accessKey: string; secretKey: string; bucket: string } };

/** One file as pyarrow reads it; timestamps are given back as int64 epoch milliseconds. */
export interface ParquetRead {
  file: string;
  /** Arrow field name, type as pyarrow prints it (`timestamp[ms, tz=UTC]`), nullability. */
  schema: { name: string; type: string; nullable: boolean }[];
  metadata: Record<string, string>;
  rowGroups: number;
  rows: Record<string, unknown>[];
}

const READER = `
import json, sys
import pyarrow as pa, pyarrow.parquet as pq, pyarrow.fs as pafs
spec = json.loads(sys.argv[1])
fs, root = None, ''
if 's3' in spec:
    s3 = spec['s3']
    scheme, host = s3['endpoint'].split('://')
    fs = pafs.S3FileSystem(access_key=s3['accessKey'], secret_key=s3['secretKey'], endpoint_override=host,
                           scheme=scheme, region='us-east-1')
    root = s3['bucket'] + '/'
out = []
for f in spec['files']:
    pf = pq.ParquetFile(root + f, filesystem=fs)
    table = pf.read()
    cols = {}
    for field, column in zip(table.schema, table.columns):
        cols[field.name] = column.cast(pa.int64()) if pa.types.is_timestamp(field.type) else column
    rows = pa.table(cols).to_pylist()
    out.append({
        'file': f,
        'schema': [{'name': x.name, 'type': str(x.type), 'nullable': x.nullable} for x in table.schema],
        'metadata': {k.decode(): v.decode() for k, v in (pf.schema_arrow.metadata or {}).items()},
        'rowGroups': pf.metadata.num_row_groups,
        'rows': rows,
    })
if 'dataset' in spec:
    ds = pq.ParquetDataset(root + spec['dataset'], filesystem=fs, partitioning='hive')
    t = ds.read(columns=['date', 'asset'])
    counts = {}
    for r in t.to_pylist():
        k = str(r['date']) + '|' + str(r['asset'])
        counts[k] = counts.get(k, 0) + 1
    out.append({'partitions': counts})
print(json.dumps(out))
`;

/**
 * Reads Parquet files with pyarrow, an implementation independent of the writer, in a Python subprocess.
 * With `dataset`, also reads that folder as a Hive-partitioned dataset and counts rows per (date, asset)
 * as pyarrow decodes the partition keys: the last element is then `{ partitions: { "date|asset": rows } }`.
 */
export function readWithPyarrow(location: ParquetLocation & { dataset?: string }): {
  files: ParquetRead[];
  partitions?: Record<string, number>;
} {
  const run = spawnSync(PYARROW_PYTHON, ['-c', READER, JSON.stringify(location)], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  if (run.status !== 0) throw new Error(`pyarrow failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout) as (ParquetRead | { partitions: Record<string, number> })[];
  const last = out.at(-1);
  if (location.dataset && last && 'partitions' in last)
    return { files: out.slice(0, -1) as ParquetRead[], partitions: last.partitions };
  return { files: out as ParquetRead[] };
}
