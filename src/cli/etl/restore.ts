import type { Command } from 'commander';
import { listBackups } from '../../etl/backup/backup.ts';
import { backupTime, DEFAULT_PREFIX } from '../../etl/backup/manifest.ts';
import { PgToolError } from '../../etl/backup/pg-tools.ts';
import {
  RestoreRefusedError,
  type RestoreResult,
  readManifest,
  restoreDatabase,
} from '../../etl/backup/restore.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { createObjectStore, objectStoreUrl } from '../../storage/object-stores.ts';
import type { ObjectStore } from '../../storage/ports/object-store.ts';
import { type ConfigFlags, configFromFlags } from '../config.ts';
import { backupPrefix, serverDatabaseUrl } from './backup.ts';
import { type JobFlags, jobAction, jobOptions, progressBar, runCliJob, UsageError } from './common.ts';

const JOB = 'restore';

type RestoreFlags = ConfigFlags &
  JobFlags & {
    prefix: string;
    list?: boolean;
    targetUrl?: string;
    pgBin?: string;
    influxd: string;
    influxdbRpc?: string;
    influxdbAs?: string;
  };

/** One line per backup: id, time, size, schema version, complete or not; the manifest read for complete ones. */
async function listing(store: ObjectStore, prefix: string, json: boolean): Promise<number> {
  const rows = [];
  for (const b of await listBackups(store, prefix)) {
    // A manifest that cannot be read or checked makes the backup unusable: said, not listed as complete.
    const manifest = b.complete
      ? await readManifest(store, prefix, b.id).then(
          (m) => ({ schemaVersion: m.schemaVersion, problem: null }),
          (err: Error) => ({ schemaVersion: null, problem: err.message }),
        )
      : { schemaVersion: null, problem: null };
    const state = !b.complete ? 'incomplete' : manifest.problem ? 'unreadable manifest' : 'complete';
    rows.push({
      id: b.id,
      time: b.at.toISOString(),
      size: b.size,
      schemaVersion: manifest.schemaVersion,
      complete: state === 'complete',
      state,
      ...(manifest.problem && { problem: manifest.problem }),
    });
  }
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    const lines = rows.map(
      (r) =>
        `${r.id}  ${r.time}  ${String(r.size).padStart(12)} B  schema ${String(r.schemaVersion ?? '-').padStart(3)}  ` +
        `${r.state}${r.problem ? ` (${r.problem})` : ''}`,
    );
    process.stdout.write(`${[`${rows.length} backup(s) under ${prefix}/`, ...lines].join('\n')}\n`);
  }
  return 0;
}

function printSummary(r: RestoreResult): void {
  const lines = [
    `backup ${r.id}: dump ${r.dump.size} bytes, SHA-256 ${r.dump.sha256} verified; schema version ${r.schemaVersion}`,
  ];
  if (r.dryRun) lines.push(`dry run, nothing written: ${r.target} is empty and would receive it`);
  else {
    for (const t of r.tables)
      lines.push(
        `${t.equal ? 'ok      ' : 'DIFFERS '} ${t.name}: ${t.actual?.rows ?? '-'} rows` +
          (t.equal
            ? ''
            : ` (manifest ${t.expected?.rows ?? '-'} rows, checksum ${t.expected?.checksum ?? '-'})`),
      );
    if (r.influxdb) lines.push(`InfluxDB restored: ${r.influxdb}`);
    const bad = r.tables.filter((t) => !t.equal).length;
    lines.push(
      r.verified
        ? `restored into ${r.target}: ${r.tables.length} tables equal to the manifest`
        : `restored into ${r.target}, but ${bad} table(s) or the schema version differ from the manifest`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function restore(backup: string | undefined, flags: RestoreFlags): Promise<number> {
  const prefix = backupPrefix(flags.prefix);
  const config = configFromFlags(flags);
  const store = createObjectStore(objectStoreUrl(config));
  try {
    if (flags.list) return await listing(store, prefix, flags.json === true);
    if (!backup) throw new UsageError('<backup>: name a backup id or latest (see --list)');
    if (backup !== 'latest' && backupTime(backup) === null)
      throw new UsageError(
        `<backup>: "${backup}" is not a backup id (a UTC time such as 20250131T020000.123Z) nor latest; see --list`,
      );
    const targetUrl = flags.targetUrl ?? serverDatabaseUrl(config);
    if (!/^postgres(ql)?:\/\//.test(targetUrl))
      throw new UsageError(`--target-url: expected postgres://…, got ${targetUrl.split(':')[0]}:`);
    const influxdb = flags.influxdbAs
      ? { influxd: flags.influxd, rpc: flags.influxdbRpc ?? '127.0.0.1:8088', as: flags.influxdbAs }
      : undefined;
    return await runCliJob(JOB, flags, async (metrics: Metrics) => {
      const result = await restoreDatabase({
        store,
        prefix,
        backup,
        targetUrl,
        pgBin: flags.pgBin,
        dryRun: flags.dryRun === true,
        influxdb,
        onProgress: progressBar('restoring', 'bytes'),
      });
      const rows = result.tables.reduce((n, t) => n + (t.actual?.rows ?? 0), 0);
      metrics.jobRows.inc({ etl_job: JOB, outcome: 'stored' }, rows);
      if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else printSummary(result);
      if (!result.verified)
        throw new Error('the restored database differs from the backup’s manifest (see above)');
      return 0;
    });
  } finally {
    await store.close();
  }
}

/** `mantis etl restore`. */
export function restoreCommand(etl: Command, withConfig: (c: Command) => Command) {
  jobOptions(
    withConfig(etl.command(JOB))
      .description('restore a backup into an empty PostgreSQL database and verify it table by table')
      .argument('[backup]', 'a backup id (see --list) or latest')
      .option('--list', 'list the backups: time, size, schema version, complete or not')
      .option('--prefix <folder>', 'object store folder of the backups', DEFAULT_PREFIX)
      .option(
        '--target-url <url>',
        'postgres://… of the empty database to restore into (default: database.url)',
      )
      .option(
        '--pg-bin <folder>',
        'folder of pg_restore (default: PATH, then /usr/lib/postgresql/<newest>/bin)',
      )
      .option('--influxdb-as <database>', 'also restore the backup’s InfluxDB 1.x part, as this new database')
      .option('--influxd <path>', 'influxd binary, for --influxdb-as', 'influxd')
      .option('--influxdb-rpc <host:port>', 'InfluxDB RPC bind address, for --influxdb-as', '127.0.0.1:8088'),
    true,
  )
    .addHelpText(
      'after',
      '\nBefore writing anything: the manifest is read, a schema newer than this build is refused, the target ' +
        'must hold no table, and the dump’s SHA-256 must be the manifest’s.\nThen pg_restore runs in one ' +
        'transaction and every table’s row count and checksum is compared with the manifest.\nExit code: 0 ' +
        'restored and equal, 1 a server failed or the restored tables differ, 2 refused (bad flags, corrupted ' +
        'or newer backup, target not empty, pg_restore missing).',
    )
    .action(
      jobAction(JOB, restore, (err) => err instanceof RestoreRefusedError || err instanceof PgToolError),
    );
}
