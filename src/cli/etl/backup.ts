import type { Command } from 'commander';
import { databaseUrl, redactUrl } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { type BackupResult, backupDatabase } from '../../etl/backup/backup.ts';
import type { InfluxBackupSource } from '../../etl/backup/influxdb.ts';
import { DEFAULT_PREFIX } from '../../etl/backup/manifest.ts';
import { PgToolError } from '../../etl/backup/pg-tools.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { parseInfluxUrl } from '../../storage/influxdb/url.ts';
import { createObjectStore, objectStoreUrl } from '../../storage/object-stores.ts';
import { InvalidObjectKeyError, validateObjectPrefix } from '../../storage/ports/object-store.ts';
import { type ConfigFlags, configFromFlags } from '../config.ts';
import { type JobFlags, jobAction, jobOptions, progressBar, runCliJob, UsageError } from './common.ts';

const JOB = 'backup';

/** The server database to back up or restore into; the embedded PGlite folder is refused. */
export function serverDatabaseUrl(config: Config, flag = 'database.url'): string {
  const url = databaseUrl(config);
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new UsageError(
      `${flag}: backup and restore need a PostgreSQL server (postgres://…); the embedded database ` +
        `${url} is a folder: stop MANTIS and copy ${config.dataDir}/pg instead`,
    );
  return url;
}

/** `--prefix`: a folder of the object store, without a trailing slash. */
export function backupPrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  try {
    validateObjectPrefix(`${trimmed}/`);
  } catch (err) {
    throw new UsageError(`--prefix: ${(err as Error).message}`);
  }
  if (!trimmed) throw new UsageError('--prefix: must not be empty');
  return trimmed;
}

/** A whole number flag in [min, max]. */
export function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

type BackupFlags = ConfigFlags &
  JobFlags & {
    prefix: string;
    keep: string;
    pgBin?: string;
    influxd: string;
    influxdbRpc?: string;
    influxdb: boolean;
  };

/** The InfluxDB raw store to back up with it, or none; refuses what this build cannot back up. */
function influxSource(config: Config, flags: BackupFlags): InfluxBackupSource | undefined {
  const url = config.rawStore.url;
  if (!flags.influxdb || !url.startsWith('influxdb')) return undefined;
  const target = parseInfluxUrl(url);
  if (target.api === 'v2' && url.startsWith('influxdb2:'))
    throw new UsageError(
      `rawStore.url ${redactUrl(url)} is InfluxDB 2, whose backup is its own \`influx backup\` (HTTP API): ` +
        'run it beside this job and pass --no-influxdb',
    );
  const rpc = flags.influxdbRpc ?? `${new URL(target.baseUrl).hostname}:8088`;
  return { influxd: flags.influxd, rpc, database: target.database };
}

function printSummary(r: BackupResult, prefix: string): void {
  const rows = r.tables.reduce((n, t) => n + t.rows, 0);
  const lines = [
    `database ${r.database.name}: PostgreSQL ${r.database.serverVersion}` +
      `${r.database.timescaledb ? `, TimescaleDB ${r.database.timescaledb}` : ''}, schema version ${r.database.schemaVersion}`,
    `${r.tables.length} tables, ${rows} rows`,
  ];
  if (r.dryRun) lines.push(`dry run, nothing written: would store backup ${prefix}/${r.id}/`);
  else if (r.manifest) {
    const m = r.manifest;
    lines.push(`stored backup ${prefix}/${r.id}/: dump ${m.dump.size} bytes, SHA-256 ${m.dump.sha256}`);
    if (m.influxdb)
      lines.push(
        `InfluxDB ${m.influxdb.database}: ${m.influxdb.files.length} files, ` +
          `${m.influxdb.files.reduce((n, f) => n + f.size, 0)} bytes`,
      );
  }
  lines.push(
    r.pruned.length === 0
      ? 'no older backup removed'
      : `${r.dryRun ? 'would remove' : 'removed'} ${r.pruned.length} older backup(s): ${r.pruned.join(', ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function backup(flags: BackupFlags): Promise<number> {
  const keep = wholeNumber('--keep', flags.keep, 1, 10_000);
  const prefix = backupPrefix(flags.prefix);
  const config = configFromFlags(flags);
  const url = serverDatabaseUrl(config);
  const influxdb = influxSource(config, flags);
  return runCliJob(
    JOB,
    flags,
    async (metrics: Metrics) => {
      const store = createObjectStore(objectStoreUrl(config));
      const bar = progressBar('dumping', 'MiB');
      try {
        const result = await backupDatabase({
          databaseUrl: url,
          store,
          prefix,
          keep,
          pgBin: flags.pgBin,
          dryRun: flags.dryRun === true,
          influxdb,
          onProgress: (bytes, estimate) => bar(Math.round(bytes / 2 ** 20), Math.round(estimate / 2 ** 20)),
        });
        const rows = result.tables.reduce((n, t) => n + t.rows, 0);
        metrics.jobRows.inc({ etl_job: JOB, outcome: 'stored' }, result.dryRun ? 0 : rows);
        if (result.manifest) {
          metrics.backupSize.set({ part: 'postgres' }, result.manifest.dump.size);
          metrics.backupLastSuccess.set({ prefix }, new Date(result.manifest.startedAt).getTime() / 1000);
          const influx = result.manifest.influxdb?.files.reduce((n, f) => n + f.size, 0);
          if (influx !== undefined) metrics.backupSize.set({ part: 'influxdb' }, influx);
        }
        if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else printSummary(result, prefix);
        return 0;
      } finally {
        await store.close();
      }
    },
    ['mantis_backup_size_bytes', 'mantis_backup_last_success_timestamp_seconds'],
  );
}

/** `mantis etl backup`. */
export function backupCommand(etl: Command, withConfig: (c: Command) => Command) {
  jobOptions(
    withConfig(etl.command(JOB))
      .description(
        'back up the PostgreSQL database (pg_dump custom format) into the object store, with a manifest; keep the last N',
      )
      .option('--prefix <folder>', 'object store folder of the backups', DEFAULT_PREFIX)
      .option('--keep <n>', 'complete backups kept; older ones are removed after a successful backup', '7')
      .option('--pg-bin <folder>', 'folder of pg_dump (default: PATH, then /usr/lib/postgresql/<newest>/bin)')
      .option('--influxd <path>', 'influxd binary, for an InfluxDB 1.x raw store', 'influxd')
      .option(
        '--influxdb-rpc <host:port>',
        'InfluxDB RPC bind address (default: the raw store host, port 8088)',
      )
      .option('--no-influxdb', 'do not back up an InfluxDB raw store'),
    true,
  )
    .addHelpText(
      'after',
      '\nThe dump streams from pg_dump into <prefix>/<UTC time>/dump.pgc; manifest.json, written last, holds its ' +
        'size and SHA-256, the schema version and each table’s row count and checksum.\nThe password goes to ' +
        'pg_dump in PGPASSWORD, never on its command line.\nExit code: 0 backed up, 1 the database, the object ' +
        'store or pg_dump failed, 2 bad flags, embedded database, or pg_dump missing or older than the server.',
    )
    .action(
      jobAction(JOB, backup, (err) => err instanceof PgToolError || err instanceof InvalidObjectKeyError),
    );
}
