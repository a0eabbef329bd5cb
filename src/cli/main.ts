import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { MantisApp } from '../app/app.ts';
import { openMigratedDatabase, type Target, targetNames } from '../app/modules.ts';
import { version } from '../app/version.ts';
import { ConfigError, databaseUrl, redact } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { type Role, roles } from '../domain/access.ts';
import { ConflictError, UnavailableError, ValidationError } from '../domain/errors.ts';
import { startTracing, stopTracing } from '../observability/tracing.ts';
import { runSimulator } from '../simulator/driver.ts';
import { defaultFleetOptions, Fleet } from '../simulator/fleet.ts';
import { VIBRATION_FAULTS, type VibrationFault } from '../simulator/vibration-faults.ts';
import { adapterFor } from '../storage/adapters.ts';
import type { AccessRepository } from '../storage/ports/access.ts';
import { postgresRepositories } from '../storage/postgres/repositories.ts';
import { mqttAddress, startBanner } from './banner.ts';
import { type ConfigFlags, configFromFlags } from './config.ts';
import { doctor } from './doctor.ts';
import { etlCommands } from './etl/index.ts';
import { influxCommands } from './influx.ts';
import { mlCommands } from './ml.ts';
import { printStatus } from './status.ts';

const program = new Command('mantis')
  .description('MANTIS predictive-maintenance data platform')
  .version(version)
  .showHelpAfterError();

function withConfigFlags(command: Command): Command {
  return command
    .option('-c, --config <file>', 'YAML settings file (default: ./mantis.yaml, or MANTIS_CONFIG)')
    .option('--host <address>', 'HTTP bind address (MANTIS_HTTP_HOST)')
    .option('-p, --port <port>', 'HTTP port (MANTIS_HTTP_PORT)')
    .option('--data-dir <dir>', 'folder for embedded data (MANTIS_DATA_DIR)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (MANTIS_LOG_LEVEL)');
}

/** Starts MANTIS; a setting refused only at start-up (a ConfigError) ends the process like any bad setting. */
async function startOrExit(config: Config, target: Target): Promise<MantisApp> {
  try {
    return await MantisApp.start(config, { target });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`mantis: ${err.message}\n`);
    process.exit(2);
  }
}

/** Runs until SIGINT/SIGTERM, then stops in reverse order; a second signal forces the exit. */
function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      process.stderr.write(`\nmantis: ${signal} received, draining and stopping…\n`);
      stop().then(
        () => process.exit(0),
        (err) => {
          process.stderr.write(`mantis: stop failed: ${err}\n`);
          process.exit(1);
        },
      );
    });
  }
}

withConfigFlags(program.command('start'))
  .description('run everything on one machine (target all), with the simulated plant unless --no-simulate')
  .option('--no-simulate', 'do not run the simulated plant')
  .option('--seed <n>', 'simulator seed', String(defaultFleetOptions.seed))
  .action(async (flags: ConfigFlags & { simulate: boolean; seed: string }) => {
    const config = configFromFlags(flags, { 'log.level': 'warn' });
    startTracing('mantis');
    const app = await startOrExit(config, 'all');
    const out = (line: string) => process.stdout.write(`${line}\n`);
    const url = app.url;
    for (const line of startBanner(app, config, version)) out(line);
    const stopStatus = printStatus(app, 10_000, out);
    const abort = new AbortController();
    let simulation: Promise<unknown> = Promise.resolve();
    if (flags.simulate) {
      const fleet = new Fleet({ seed: Number(flags.seed) });
      out(
        `Simulator: ${fleet.assets.length} assets on 2 lines; ${fleet.options.faultAssetId} develops a fault (${fleet.options.faultKind}) ` +
          `from ${fleet.options.faultStartSeconds} s. Status every 10 s; Ctrl-C stops.`,
      );
      simulation = runSimulator({
        url,
        token: app.token,
        fleet: { seed: Number(flags.seed) },
        speed: 1,
        signal: abort.signal,
      }).catch((err) => out(`simulator stopped: ${err.message}`));
    }
    stopOnSignals(async () => {
      abort.abort();
      await simulation;
      await stopStatus();
      await app.stop();
      await stopTracing();
    });
  });

withConfigFlags(program.command('run'))
  .description('run one target: all, or ingest, process or api as separate services')
  .addOption(new Option('-t, --target <target>', 'what to run').choices(targetNames).default('all'))
  .action(async (flags: ConfigFlags & { target: Target }) => {
    const config = configFromFlags(flags);
    startTracing(flags.target === 'all' ? 'mantis' : `mantis-${flags.target}`);
    const app = await startOrExit(config, flags.target);
    app.services.log.info({ url: app.url, mqtt: mqttAddress(app, config)?.url }, 'listening');
    stopOnSignals(async () => {
      await app.stop();
      await stopTracing();
    });
  });

program
  .command('simulate')
  .description('drive a running MANTIS over HTTP with the simulated plant')
  .option('-u, --url <url>', 'MANTIS base URL (the ingest target)', 'http://127.0.0.1:8080')
  .option('--api-url <url>', 'where to register the fleet (the api target); default: --url')
  .option('--token <token>', 'bearer token (or MANTIS_TOKEN)')
  .option('--seed <n>', 'seed of the simulated plant', String(defaultFleetOptions.seed))
  .option('--speed <x>', 'simulated seconds per second; 0 = as fast as accepted', '1')
  .option('--duration <seconds>', 'stop after this many simulated seconds')
  .option('--backfill', 'start event time in the past so that the run ends now (with --duration)')
  .option(
    '--fault <asset>',
    'asset that develops the fault, or "none"',
    defaultFleetOptions.faultAssetId ?? 'none',
  )
  .addOption(
    new Option('--fault-kind <kind>', 'the fault it develops')
      .choices(VIBRATION_FAULTS.filter((f) => f !== 'healthy'))
      .default(defaultFleetOptions.faultKind),
  )
  .action(
    async (flags: {
      url: string;
      apiUrl?: string;
      token?: string;
      seed: string;
      speed: string;
      duration?: string;
      backfill?: boolean;
      fault: string;
      faultKind: VibrationFault;
    }) => {
      const token = flags.token ?? process.env.MANTIS_TOKEN;
      if (!token) {
        process.stderr.write(
          'mantis simulate: --token or MANTIS_TOKEN is required (mantis start prints it)\n',
        );
        process.exit(2);
      }
      const fleet = {
        seed: Number(flags.seed),
        faultAssetId: flags.fault === 'none' ? null : flags.fault,
        faultKind: flags.faultKind,
      };
      try {
        new Fleet(fleet);
      } catch (err) {
        process.stderr.write(
          `mantis simulate: ${(err as Error).message.replace(/^faultAssetId/, '--fault').replace(/ or null,/, ' or none,')}\n`,
        );
        process.exit(2);
      }
      const duration = flags.duration === undefined ? undefined : Number(flags.duration);
      const abort = new AbortController();
      stopOnSignals(async () => abort.abort());
      const isTty = process.stdout.isTTY;
      const result = await runSimulator({
        url: flags.url,
        apiUrl: flags.apiUrl,
        token,
        fleet,
        speed: Number(flags.speed),
        durationSeconds: duration,
        startTs: flags.backfill && duration ? Date.now() - duration * 1000 : undefined,
        signal: abort.signal,
        onProgress: (p) => {
          if (isTty)
            process.stdout.write(
              `\rsecond ${p.second}${duration ? `/${duration}` : ''} · ${p.accepted} accepted · ${p.rejected} rejected · ${p.retries} retries`,
            );
        },
      });
      process.stdout.write(
        `${isTty ? '\n' : ''}simulated ${result.second} s: ${result.accepted} readings accepted, ${result.rejected} rejected, ${result.retries} retries\n`,
      );
      process.exit(0);
    },
  );

withConfigFlags(program.command('migrate'))
  .description('apply database migrations (and create missing Kafka topics) and exit')
  .action(async (flags: ConfigFlags) => {
    const config = configFromFlags(flags);
    const { db, report } = await openMigratedDatabase(config);
    await db.close();
    process.stdout.write(
      report.applied.length > 0
        ? `applied ${report.applied.join(', ')}; schema at version ${report.current}\n`
        : `schema up to date at version ${report.current}\n`,
    );
    if (report.realigned.length > 0)
      process.stdout.write(`history of ${report.realigned.join(', ')} realigned to Flyway's checksums\n`);
    const bus = adapterFor('bus', config.bus.url);
    if (bus.prepare) {
      const created = await bus.prepare(config.bus.url, { bus: config.bus, clientId: 'mantis-migrate' });
      process.stdout.write(
        created.length > 0 ? `created topics ${created.join(', ')}\n` : 'topics up to date\n',
      );
    }
  });

withConfigFlags(program.command('doctor'))
  .description('check every configured dependency through its own protocol and print each latency')
  .option('--wait', 'check again until every dependency is ready, and report the time to ready')
  .option('--timeout <seconds>', 'with --wait, how long to wait in all; without, per check', '10')
  .option('--json', 'print the report as JSON')
  .addHelpText(
    'after',
    '\nExit code: 0 when every dependency is ready, 1 when one is not (named on stderr), 2 on a bad setting.',
  )
  .action(async (flags: ConfigFlags & { wait?: boolean; timeout: string; json?: boolean }) => {
    const timeout = Number(flags.timeout);
    if (!(timeout > 0)) {
      process.stderr.write(
        `mantis doctor: --timeout must be a positive number of seconds, got "${flags.timeout}"\n`,
      );
      process.exit(2);
    }
    const config = configFromFlags(flags);
    process.exitCode = await doctor(config, { wait: flags.wait, timeout, json: flags.json });
  });

/** The API keys of the configured database, migrated, for one command; the database is closed after. */
async function withAccess<T>(config: Config, fn: (access: AccessRepository) => Promise<T>): Promise<T> {
  const { db } = await openMigratedDatabase(config);
  try {
    return await fn(postgresRepositories(db).access);
  } finally {
    await db.close();
  }
}

const keys = program
  .command('keys')
  .description('API keys (viewer, technician, admin) and site-scoped device tokens');

withConfigFlags(keys.command('create'))
  .description('create a key and print its token, shown this once')
  .requiredOption('--name <name>', 'who or what holds it')
  .addOption(new Option('--role <role>', 'what it may do').choices([...roles]).makeOptionMandatory())
  .option('--site <site>', 'the site a device token ingests for (device role only)')
  .option('--json', 'print JSON')
  .action(async (flags: ConfigFlags & { name: string; role: Role; site?: string; json?: boolean }) => {
    const config = configFromFlags(flags);
    try {
      const { key, token } = await withAccess(config, (access) =>
        access.createKey({ name: flags.name, role: flags.role, siteId: flags.site, createdBy: 'cli' }),
      );
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ key, token })}\n`
          : `created ${key.role} key ${key.id} (${key.name})${key.siteId ? ` for site ${key.siteId}` : ''}\n` +
              `token: ${token}\nKeep it now: only its digest is stored.\n`,
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The flag of the domain field at fault: the key's siteId is --site.
      const flag = err.field === 'siteId' ? 'site' : err.field;
      process.stderr.write(`mantis keys create: --${flag}: ${err.reason}\n`);
      process.exit(2);
    }
  });

withConfigFlags(keys.command('list'))
  .description('list keys, without their secrets')
  .option('--all', 'include revoked keys')
  .option('--json', 'print JSON')
  .action(async (flags: ConfigFlags & { all?: boolean; json?: boolean }) => {
    const items = await withAccess(configFromFlags(flags), (access) => access.listKeys(flags.all));
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
      return;
    }
    const rows = items.map((k) => [
      k.id,
      k.role,
      k.siteId ?? '-',
      k.name,
      k.createdAt.slice(0, 19),
      k.lastUsedAt?.slice(0, 19) ?? 'never',
      k.revokedAt ? `revoked ${k.revokedAt.slice(0, 19)}` : 'active',
    ]);
    const table = [['ID', 'ROLE', 'SITE', 'NAME', 'CREATED', 'LAST USED', 'STATUS'], ...rows];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    for (const row of table)
      process.stdout.write(
        `${row
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd()}\n`,
      );
  });

withConfigFlags(keys.command('revoke'))
  .description('revoke a key; running processes refuse it within http.keyCacheSeconds')
  .argument('<id>', 'the key id (mantis keys list)')
  .action(async (id: string, flags: ConfigFlags) => {
    const revoked = await withAccess(configFromFlags(flags), (access) => access.revokeKey(id, 'cli'));
    if (!revoked) {
      process.stderr.write(`mantis keys revoke: no active key ${id}\n`);
      process.exit(1);
    }
    process.stdout.write(`revoked ${id}\n`);
  });

influxCommands(program, withConfigFlags, configFromFlags);
mlCommands(program, withConfigFlags);
etlCommands(program, withConfigFlags);

withConfigFlags(program.command('config'))
  .description('print the effective configuration, secrets redacted')
  .option('--json', 'print JSON instead of YAML')
  .action((flags: ConfigFlags & { json?: boolean }) => {
    const loaded = configFromFlags(flags);
    const config = redact({ ...loaded, database: { ...loaded.database, url: databaseUrl(loaded) } });
    process.stdout.write(flags.json ? `${JSON.stringify(config, null, 2)}\n` : stringify(config));
  });

try {
  await program.parseAsync();
} catch (err) {
  // A refusal with a reason of its own (the embedded database in use by a running MANTIS…): one line, no stack.
  if (!(err instanceof ConflictError || err instanceof UnavailableError)) throw err;
  process.stderr.write(`mantis: ${err.message}\n`);
  process.exit(1);
}
