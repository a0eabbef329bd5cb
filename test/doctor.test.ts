import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate } from '../src/storage/migrate.ts';
import {
  createTestDatabase,
  executableAvailable,
  freePort,
  kafkaAvailable,
  kafkaBroker,
  MOSQUITTO,
  postgresAvailable,
} from './helpers/infra.ts';
import { ownedRedis, REDIS_SERVER } from './helpers/redis.ts';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/mantis.js');
const JAEGER = execFileSync(join(root, 'scripts/stack/jaeger.sh'), ['path'], { encoding: 'utf8' }).trim();
const S3_SERVER = execFileSync(join(root, 'scripts/stack/versitygw.sh'), ['path'], {
  encoding: 'utf8',
}).trim();
const S3_KEY = 'mantis-doctor';
const S3_SECRET = 'doctor-test-secret-0123456789';
const MLFLOW = execFileSync(join(root, 'scripts/stack/mlflow.sh'), ['path'], { encoding: 'utf8' }).trim();
const executables = {
  redis: '/usr/bin/redis-server',
  influxdb: '/usr/bin/influxd',
  zookeeper: '/usr/share/java/zookeeper.jar',
  mqtt: MOSQUITTO,
  prometheus: '/usr/bin/prometheus',
  alertmanager: '/usr/bin/prometheus-alertmanager',
  jaeger: JAEGER,
  mlflow: MLFLOW,
  s3: S3_SERVER,
};
const servers = [
  await postgresAvailable(),
  await kafkaAvailable(),
  await executableAvailable('/usr/bin/java'),
  ...(await Promise.all(
    Object.entries(executables)
      .filter(([name]) => name !== 'zookeeper')
      .map(([, path]) => executableAvailable(path)),
  )),
];

/** A real server the suite owns, so that it can stop it and start it again on the same port. */
interface OwnedServer {
  name: string;
  port: number;
  /** The MANTIS setting that points doctor at it. */
  env: Record<string, string>;
  start(): void;
  stop(): Promise<void>;
}

function owned(
  name: string,
  env: (port: number) => Record<string, string>,
  command: (port: number, dir: string, more: number[]) => [string, string[]],
) {
  return async (): Promise<OwnedServer> => {
    const port = await freePort();
    // Servers that listen on more than one port get free ones, not port + 1 (which may be taken).
    const more = [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), `mantis-doctor-${name}-`));
    let child: ChildProcess | undefined;
    return {
      name,
      port,
      env: env(port),
      start() {
        const [cmd, args] = command(port, dir, more);
        // A process group of its own: MLflow's server runs its workers as children, stopped with it.
        child = spawn(cmd, args, { stdio: 'ignore', cwd: dir, detached: true });
      },
      async stop() {
        if (!child || child.exitCode !== null) return;
        const exited = new Promise((r) => child?.once('exit', r));
        process.kill(-(child.pid as number), 'SIGKILL');
        await exited;
      },
    };
  };
}

const makers = [
  owned(
    'redis',
    (p) => ({ MANTIS_STACK_REDIS_URL: `redis://127.0.0.1:${p}` }),
    (p, dir) => [
      executables.redis,
      ['--port', String(p), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
    ],
  ),
  owned(
    'influxdb',
    (p) => ({ MANTIS_STACK_INFLUXDB_URL: `http://127.0.0.1:${p}` }),
    (p, dir, [rpc]) => {
      writeFileSync(
        join(dir, 'influxdb.conf'),
        `reporting-disabled = true\nbind-address = "127.0.0.1:${rpc}"\n[meta]\n  dir = "${dir}/meta"\n` +
          `[data]\n  dir = "${dir}/data"\n  wal-dir = "${dir}/wal"\n[http]\n  bind-address = "127.0.0.1:${p}"\n` +
          '[monitor]\n  store-enabled = false\n',
      );
      return [executables.influxdb, ['-config', join(dir, 'influxdb.conf')]];
    },
  ),
  owned(
    'zookeeper',
    (p) => ({ MANTIS_STACK_ZOOKEEPER: `127.0.0.1:${p}` }),
    (p, dir) => {
      mkdirSync(join(dir, 'data'), { recursive: true });
      writeFileSync(
        join(dir, 'zoo.cfg'),
        `tickTime=2000\ndataDir=${dir}/data\nclientPort=${p}\nclientPortAddress=127.0.0.1\n` +
          'admin.enableServer=false\n4lw.commands.whitelist=srvr\n',
      );
      return [
        'java',
        [
          '-Xmx128m',
          '-cp',
          `/etc/zookeeper/conf:${executables.zookeeper}:/usr/share/java/*`,
          'org.apache.zookeeper.server.quorum.QuorumPeerMain',
          join(dir, 'zoo.cfg'),
        ],
      ];
    },
  ),
  owned(
    'mqtt',
    (p) => ({ MANTIS_MQTT_URL: `mqtt://127.0.0.1:${p}` }),
    (p) => [executables.mqtt, ['-p', String(p)]],
  ),
  owned(
    'prometheus',
    (p) => ({ MANTIS_STACK_PROMETHEUS_URL: `http://127.0.0.1:${p}` }),
    (p, dir) => {
      writeFileSync(join(dir, 'prometheus.yml'), 'global: { scrape_interval: 15s }\n');
      return [
        executables.prometheus,
        [
          `--config.file=${dir}/prometheus.yml`,
          `--storage.tsdb.path=${dir}/tsdb`,
          `--web.listen-address=127.0.0.1:${p}`,
        ],
      ];
    },
  ),
  owned(
    'alertmanager',
    (p) => ({ MANTIS_STACK_ALERTMANAGER_URL: `http://127.0.0.1:${p}` }),
    (p, dir) => {
      writeFileSync(join(dir, 'am.yml'), 'route: { receiver: none }\nreceivers: [{ name: none }]\n');
      return [
        executables.alertmanager,
        [
          `--config.file=${dir}/am.yml`,
          `--storage.path=${dir}`,
          `--web.listen-address=127.0.0.1:${p}`,
          '--cluster.listen-address=',
        ],
      ];
    },
  ),
  owned(
    's3',
    (p) => ({
      MANTIS_STACK_S3_URL: `s3://mantis-objects?endpoint=http://127.0.0.1:${p}&region=us-east-1`,
      MANTIS_STACK_S3_ACCESS_KEY_ID: S3_KEY,
      MANTIS_STACK_S3_SECRET_ACCESS_KEY: S3_SECRET,
    }),
    (p, dir) => {
      mkdirSync(join(dir, 'objects/mantis-objects'), { recursive: true });
      return [
        S3_SERVER,
        [
          '--access',
          S3_KEY,
          '--secret',
          S3_SECRET,
          '--port',
          `127.0.0.1:${p}`,
          'posix',
          join(dir, 'objects'),
        ],
      ];
    },
  ),
  owned(
    'mlflow',
    (p) => ({ MANTIS_STACK_MLFLOW_URL: `http://127.0.0.1:${p}` }),
    (p, dir) => [
      MLFLOW,
      [
        'server',
        '--host',
        '127.0.0.1',
        '--port',
        String(p),
        '--workers',
        '1',
        '--backend-store-uri',
        `sqlite:///${dir}/mlflow.db`,
        '--default-artifact-root',
        `${dir}/artifacts`,
      ],
    ],
  ),
  owned(
    'jaeger',
    (p) => ({ MANTIS_STACK_JAEGER_URL: `http://127.0.0.1:${p}` }),
    (p, dir, [grpc, otlp]) => {
      // The all-in-one configuration cut to the query API and OTLP, on ports of its own.
      writeFileSync(
        join(dir, 'jaeger.yml'),
        stringify({
          service: {
            extensions: ['jaeger_storage', 'jaeger_query'],
            pipelines: {
              traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] },
            },
            telemetry: { metrics: { level: 'none' } },
          },
          extensions: {
            jaeger_storage: { backends: { memstore: { memory: { max_traces: 1000 } } } },
            jaeger_query: {
              storage: { traces: 'memstore' },
              http: { endpoint: `127.0.0.1:${p}` },
              grpc: { endpoint: `127.0.0.1:${grpc}` },
            },
          },
          receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${otlp}` } } } },
          processors: { batch: {} },
          exporters: { jaeger_storage_exporter: { trace_storage: 'memstore' } },
        }),
      );
      return [JAEGER, ['--config', join(dir, 'jaeger.yml')]];
    },
  ),
];

interface Report {
  ok: boolean;
  readyAfterMs?: number | null;
  checks: { name: string; ok: boolean; detail: string; latencyMs: number; readyAfterMs?: number }[];
}

describe.runIf(servers.every((s) => s.available))('mantis doctor against real servers', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let bare: Awaited<ReturnType<typeof createTestDatabase>>;
  const owned: OwnedServer[] = [];
  let env: Record<string, string>;

  const doctor = (args: string[], extra: Record<string, string> = {}, base = env) => {
    const r = spawnSync(process.execPath, [bin, 'doctor', ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...base, ...extra },
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** Starts `doctor --wait`; `waiting` resolves once it reports what it waits for. */
  const doctorWaiting = (args: string[]) => {
    const child = spawn(process.execPath, [bin, 'doctor', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    const waiting = new Promise<string>((resolve) =>
      child.stderr.on('data', (c) => {
        stderr += c;
        if (stderr.includes('waiting for')) resolve(stderr);
      }),
    );
    const done = new Promise<{ code: number | null; stdout: string }>((resolve) =>
      child.on('exit', (code) => resolve({ code, stdout })),
    );
    return { waiting, done };
  };
  const waitAnswering = async (server: OwnedServer) => {
    let last = '';
    for (let i = 0; i < 40; i++) {
      const { code, stdout, stderr } = doctor(['--json', '--timeout', '2'], onlyThis(server), {});
      if (code === 0) return;
      last = `${stdout}${stderr}`;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${server.name} did not become ready: ${last}`);
  };
  // Doctor on one owned server only (the database and bus embedded).
  const dataDir = mkdtempSync(join(tmpdir(), 'mantis-doctor-data-'));
  const embedded = {
    MANTIS_DATABASE_URL: 'pglite://memory',
    MANTIS_BUS_URL: 'memory:',
    MANTIS_DATA_DIR: dataDir,
  };
  const onlyThis = (server: OwnedServer) => ({ ...embedded, ...server.env });

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = await openDatabase(database.url);
    await migrate(db);
    await db.close();
    bare = await createTestDatabase();
    for (const make of makers) owned.push(await make());
    for (const s of owned) s.start();
    env = {
      MANTIS_DATABASE_URL: database.url,
      MANTIS_BUS_URL: `kafka://${kafkaBroker}`,
      MANTIS_BUS_TOPIC_PREFIX: 'doctor-test.',
      MANTIS_DATA_DIR: dataDir,
      ...Object.assign({}, ...owned.map((s) => s.env)),
    };
    for (const s of owned) await waitAnswering(s);
  }, 120_000);

  afterAll(async () => {
    for (const s of owned) await s.stop();
    await database?.drop();
    await bare?.drop();
  });

  it('checks every configured dependency through its protocol and prints each latency', () => {
    const { code, stdout, stderr } = doctor([]);
    expect([code, stderr]).toEqual([0, '']);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^dependency\s+status\s+latency\s+endpoint\s+detail$/);
    const names = lines.slice(1).map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual([
      'zookeeper',
      'postgres',
      'kafka',
      'file',
      'mqtt',
      'redis',
      'influxdb',
      's3',
      'mlflow',
      'prometheus',
      'alertmanager',
      'jaeger',
    ]);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\S+\s+ok\s+\d+ ms\s+/);
  });

  it('says what each dependency answered, as JSON too', () => {
    const { code, stdout } = doctor(['--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    const detail = Object.fromEntries(report.checks.map((c) => [c.name, c.detail]));
    expect(detail.postgres).toMatch(/^PostgreSQL \d+\.\d+, schema \d+\/\d+, (TimescaleDB|no TimescaleDB)/);
    expect(detail.kafka).toMatch(/^1 broker\(s\), controller \d+/);
    expect(detail.kafka).toContain('topics not created yet: doctor-test.mantis.readings.v1');
    expect(detail.redis).toMatch(/^PONG, AOF yes, no RDB snapshots, maxmemory-policy noeviction$/);
    expect(detail.influxdb).toMatch(/^InfluxDB 1\.6/);
    expect(detail.zookeeper).toMatch(/standalone$/);
    expect(detail.mqtt).toBe('CONNACK received');
    expect(detail.jaeger).toMatch(/^query API up/);
    expect(detail.mlflow).toBe('/health 200 OK');
    expect(detail.s3).toBe('bucket mantis-objects reachable');
    for (const c of report.checks) expect(c.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('names an unmigrated database and an unreachable broker, with exit code 1', () => {
    const closed = `kafka://127.0.0.1:${owned[0].port + 3}`;
    const { code, stdout, stderr } = doctor([], { MANTIS_DATABASE_URL: bare.url, MANTIS_BUS_URL: closed });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^postgres\s+DOWN\s.*run mantis migrate$/m);
    expect(stdout).toMatch(/^kafka\s+DOWN\s/m);
    expect(stderr).toMatch(/^mantis doctor: not ready: postgres \(schema at version none, .*\); kafka \(/);
  });

  it('refuses a bad setting with exit code 2, naming it', () => {
    const { code, stderr } = doctor([], { MANTIS_STACK_PROMETHEUS_URL: 'prometheus:9090' });
    expect(code).toBe(2);
    expect(stderr).toContain('stack.prometheusUrl');
  });

  it('names each stopped server, and --wait returns once it is back with its time to ready', async () => {
    for (const server of owned) {
      await server.stop();
      const down = doctor(['--timeout', '3']);
      expect([server.name, down.code]).toEqual([server.name, 1]);
      expect(down.stdout).toMatch(new RegExp(`^${server.name}\\s+DOWN\\s`, 'm'));
      expect(down.stderr).toMatch(new RegExp(`^mantis doctor: not ready: ${server.name} \\(`));
      // Only the stopped one is down.
      expect(down.stdout.match(/\sDOWN\s/g)?.length).toBe(1);

      const { waiting, done } = doctorWaiting(['--wait', '--timeout', '90', '--json']);
      expect(await waiting).toMatch(new RegExp(`^waiting for ${server.name} \\(`));
      const restarted = performance.now();
      server.start();
      const { code, stdout } = await done;
      const report = JSON.parse(stdout) as Report;
      expect([server.name, code, report.ok]).toEqual([server.name, 0, true]);
      const check = report.checks.find((c) => c.name === server.name);
      // Ready only after it was seen down, and within the time it took to come back.
      expect(check?.readyAfterMs).toBeGreaterThan(0);
      expect(check?.readyAfterMs).toBeLessThanOrEqual(report.readyAfterMs ?? 0);
      expect(performance.now() - restarted).toBeLessThan(90_000);
      expect(
        report.checks
          .filter((c) => c.name !== server.name)
          .every((c) => (c.readyAfterMs ?? 0) < (check?.readyAfterMs ?? 0)),
      ).toBe(true);
    }
  }, 400_000);

  it('gives up after --timeout with exit code 1 and the table of what never came', () => {
    const { code, stdout } = doctor(['--wait', '--timeout', '3'], {
      MANTIS_STACK_REDIS_URL: `redis://127.0.0.1:${owned[0].port + 4}`,
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^redis\s+DOWN\s/m);
    expect(stdout).toMatch(/ready after/);
  });

  it('names a wrong S3 key and a missing bucket', () => {
    const s3 = owned.find((o) => o.name === 's3') as OwnedServer;
    const url = s3.env.MANTIS_STACK_S3_URL;
    const wrongKey = doctor(
      ['--timeout', '3'],
      { ...s3.env, MANTIS_STACK_S3_SECRET_ACCESS_KEY: 'not-the-secret' },
      embedded,
    );
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(
      /^s3\s+DOWN\s.*access to bucket mantis-objects denied \(check the keys\)$/m,
    );
    expect(wrongKey.stdout).not.toContain('not-the-secret');
    const missing = doctor(
      ['--timeout', '3'],
      { ...s3.env, MANTIS_STACK_S3_URL: url.replace('mantis-objects', 'no-such-bucket') },
      embedded,
    );
    expect(missing.stdout).toMatch(/^s3\s+DOWN\s.*bucket no-such-bucket does not exist$/m);
  });

  it('reports Grafana down, with the reason, when nothing answers there', async () => {
    const closed = await freePort();
    const { code, stdout } = doctor(
      ['--timeout', '3'],
      { MANTIS_STACK_GRAFANA_URL: `http://127.0.0.1:${closed}` },
      embedded,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/^grafana\s+DOWN\s.*fetch failed: connect ECONNREFUSED/m);
  });
});

describe.runIf((await executableAvailable(REDIS_SERVER)).available)('mantis doctor on the stores', () => {
  const redis = ownedRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'mantis-doctor-stores-'));
  const base = {
    MANTIS_DATABASE_URL: 'pglite://memory',
    MANTIS_BUS_URL: 'memory:',
    MANTIS_DATA_DIR: dataDir,
  };
  const doctor = (extra: Record<string, string>) => {
    const r = spawnSync(process.execPath, [bin, 'doctor', '--json', '--timeout', '3'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...base, ...extra },
      timeout: 60_000,
    });
    return { code: r.status, report: JSON.parse(r.stdout) as Report };
  };

  beforeAll(async () => (await redis).start(), 30_000);
  afterAll(async () => (await redis).kill());

  it('probes the online Redis once, also when the stack names the same server', async () => {
    const { url } = await redis;
    const cases: Record<string, string>[] = [
      { MANTIS_ONLINE_STORE_URL: url },
      { MANTIS_ONLINE_STORE_URL: url, MANTIS_STACK_REDIS_URL: url },
      { MANTIS_ONLINE_STORE_URL: `${url}/0`, MANTIS_STACK_REDIS_URL: url },
    ];
    for (const extra of cases) {
      const { code, report } = doctor(extra);
      expect(code).toBe(0);
      expect(report.checks.map((c) => c.name)).toEqual(['redis', 'file']);
      expect(report.checks[0].detail).toMatch(/^PONG, /);
    }
  });

  it('probes a stack Redis other than the online store under its own name', async () => {
    const { url, port } = await redis;
    const { code, report } = doctor({
      MANTIS_ONLINE_STORE_URL: url,
      MANTIS_STACK_REDIS_URL: `redis://localhost:${port}`,
    });
    expect(code).toBe(0);
    expect(report.checks.map((c) => c.name)).toEqual(['redis', 'file', 'stack-redis']);
  });

  it('checks that the file object store folder can be made and written', () => {
    const folder = join(dataDir, 'exports', 'nested');
    const ok = doctor({ MANTIS_OBJECT_STORE_URL: `file://${folder}` });
    expect(ok.code).toBe(0);
    expect(ok.report.checks).toEqual([
      expect.objectContaining({ name: 'file', ok: true, detail: `folder ${folder} writable` }),
    ]);
    const bad = doctor({ MANTIS_OBJECT_STORE_URL: 'file:///proc/nope' });
    expect(bad.code).toBe(1);
    expect(bad.report.checks).toEqual([
      expect.objectContaining({
        name: 'file',
        ok: false,
        detail: expect.stringMatching(/^folder \/proc\/nope is not writable: .*ENOENT/),
      }),
    ]);
  });
});
