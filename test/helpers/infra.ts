import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { access, constants } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import pg from 'pg';

/**
 * Real servers for integration suites. Where a server cannot be reached, the suite is skipped with the
 * reason printed — unless MANTIS_REQUIRE_INFRA=1 (CI), where a missing server fails the run.
 */
export const requireInfra = process.env.MANTIS_REQUIRE_INFRA === '1';

export const postgresAdminUrl =
  process.env.MANTIS_TEST_POSTGRES_URL ?? 'postgres://mantis:mantis@127.0.0.1:5432/mantis';
export const kafkaBroker = process.env.MANTIS_TEST_KAFKA_BROKER ?? '127.0.0.1:9092';

export interface Availability {
  available: boolean;
  reason: string;
}

async function reachable(name: string, probe: () => Promise<void>): Promise<Availability> {
  try {
    await probe();
    return { available: true, reason: '' };
  } catch (err) {
    const reason = `${name} unreachable: ${(err as Error).message}`;
    if (requireInfra)
      throw new Error(`${reason} (MANTIS_REQUIRE_INFRA=1; start it with scripts/stack/up.sh)`);
    process.stderr.write(`skipping: ${reason}; run scripts/stack/up.sh to include this suite\n`);
    return { available: false, reason };
  }
}

export function postgresAvailable(): Promise<Availability> {
  return reachable('PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
  });
}

export function kafkaAvailable(): Promise<Availability> {
  const [host, port] = kafkaBroker.split(':');
  return reachable(
    'Kafka',
    () =>
      new Promise<void>((resolve, reject) => {
        const socket = new Socket();
        socket.setTimeout(3000);
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('timeout', () => reject(new Error(`no answer from ${kafkaBroker}`)));
        socket.once('error', reject);
        socket.connect(Number(port), host);
      }),
  );
}

/** The broker's JVM metrics, served by the JMX exporter agent scripts/stack/kafka.sh attaches. */
export const kafkaJmxUrl = process.env.MANTIS_TEST_KAFKA_JMX_URL ?? 'http://127.0.0.1:7071/metrics';

export function kafkaJmxAvailable(): Promise<Availability> {
  return reachable('Kafka JMX exporter', async () => {
    const response = await fetch(kafkaJmxUrl, { signal: AbortSignal.timeout(10_000) });
    if (!(await response.text()).includes('jvm_memory_used_bytes'))
      throw new Error(`${kafkaJmxUrl} serves no JVM metrics`);
  });
}

export const MOSQUITTO = '/usr/sbin/mosquitto';

/** Mosquitto is started by the suite itself (it restarts it); scripts/stack/tools.sh installs it. */
export function mosquittoAvailable(): Promise<Availability> {
  return reachable('Mosquitto', async () => {
    await access(MOSQUITTO, constants.X_OK);
  });
}

/** Executables from Debian packages that suites run themselves (scripts/stack/tools.sh installs them). */
export function executableAvailable(path: string): Promise<Availability> {
  return reachable(path, async () => {
    await access(path, constants.X_OK);
  });
}

export const CHROMIUM = '/usr/bin/chromium';

/** The console suite drives Debian's Chromium; scripts/stack/tools.sh installs it. */
export function chromiumAvailable(): Promise<Availability> {
  return reachable('Chromium', async () => {
    await access(CHROMIUM, constants.X_OK);
  });
}

/**
 * The time zone of every test database on the server: one with daylight saving (days of 23 and 25 hours),
 * so that a query turning an instant into a day through the session's zone fails the suites. PGlite runs in
 * UTC, so a suite on both engines sees both.
 */
export const TEST_TIME_ZONE = 'America/New_York';

/** A fresh database on the test server, in TEST_TIME_ZONE unless told; drop() removes it. */
export async function createTestDatabase(
  timeZone = TEST_TIME_ZONE,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `mantis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.query(`ALTER DATABASE ${name} SET timezone TO ${pg.escapeLiteral(timeZone)}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A unique suffix for topic and group names, so suites never share Kafka state. */
export const uniqueSuffix = () => randomBytes(4).toString('hex');

/** A TCP port free at the time of asking, for servers the suites start themselves. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}
