import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIONLINT, DOCKER_COMPOSE, HADOLINT, lintTools, SHELLCHECK } from './helpers/lint-tools.ts';

const root = resolve(import.meta.dirname, '..');
const composeDir = join(root, 'deploy/compose');
const composeFile = join(composeDir, 'docker-compose.yml');
const exampleEnv = join(composeDir, '.env.example');

const run = (command: string, args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
};
const compose = (envFile: string, ...args: string[]) =>
  run(DOCKER_COMPOSE, ['-f', composeFile, '--env-file', envFile, '--profile', '*', ...args], {
    COMPOSE_PROFILES: '',
  });

interface Service {
  image?: string;
  restart?: string;
  healthcheck?: {
    test?: string[];
    disable?: boolean;
    interval?: string;
    timeout?: string;
    retries?: number;
    start_period?: string;
  };
  depends_on?: Record<string, { condition?: string; required?: boolean }>;
  deploy?: {
    resources?: { limits?: { cpus?: number; memory?: string }; reservations?: { memory?: string } };
  };
  volumes?: { type: string; source: string }[];
  ports?: { host_ip?: string; published: string; target: number }[];
  networks?: Record<string, unknown>;
  profiles?: string[];
  environment?: Record<string, string | null>;
}

describe.runIf(lintTools.every((t) => t.available))(
  'the compose stack (docker compose config, no engine)',
  () => {
    const resolved = compose(exampleEnv, 'config', '--format', 'json');
    const config = JSON.parse(resolved.stdout || '{}') as {
      services: Record<string, Service>;
      networks: Record<string, { internal?: boolean }>;
    };
    const services = Object.entries(config.services ?? {});
    const oneShot = (s: Service) => s.restart === 'no';

    it('is valid for the Compose Specification with the example environment', () => {
      expect([resolved.code, resolved.out.slice(0, 2000)]).toEqual([0, expect.any(String)]);
      expect(services.length).toBeGreaterThanOrEqual(25);
    });

    it('runs every service the plan names, the MANTIS targets from one image, and the init jobs', () => {
      const names = services.map(([n]) => n);
      for (const name of [
        'kafka',
        'zookeeper',
        'kafka-zk',
        'kafka-ui',
        'postgres',
        'timescaledb',
        'influxdb',
        'redis',
        'minio',
        'mlflow',
        'prometheus',
        'alertmanager',
        'grafana',
        'jaeger',
        'cadvisor',
        'node-exporter',
        'kafka-exporter',
        'postgres-exporter',
        'redis-exporter',
        'mantis-ingest',
        'mantis-process',
        'mantis-api',
        'mantis-etl',
        'mantis-migrate',
        'minio-init',
        'influxdb-setup',
        'kafka-jmx-agent',
      ])
        expect(names).toContain(name);
      const images = new Set(
        names.filter((n) => n.startsWith('mantis-')).map((n) => config.services[n].image),
      );
      expect(images.size).toBe(1);
      expect(config.services.zookeeper.profiles).toEqual(['zookeeper']);
      for (const profile of ['core', 'kraft', 'monitoring', 'ml', 'ui'])
        expect(services.some(([, s]) => s.profiles?.includes(profile))).toBe(true);
    });

    it('points MANTIS at InfluxDB and MinIO, with their buckets made by one-shot jobs it waits for', () => {
      const targets = ['mantis-ingest', 'mantis-process', 'mantis-api', 'mantis-etl'];
      for (const name of targets) {
        const { environment = {}, depends_on = {} } = config.services[name];
        expect([name, environment.MANTIS_RAW_STORE_URL]).toEqual([
          name,
          'influxdb2://influxdb:8086?org=mantis&bucket=mantis-raw',
        ]);
        expect([name, environment.MANTIS_OBJECT_STORE_URL]).toEqual([
          name,
          's3://mantis-objects?endpoint=http://minio:9000&region=us-east-1&forcePathStyle=true',
        ]);
        expect([name, environment.INFLUX_TOKEN, environment.AWS_ACCESS_KEY_ID]).toEqual([
          name,
          'change-me',
          'mantis',
        ]);
        for (const job of ['mantis-migrate', 'influxdb-setup', 'minio-init'])
          expect([name, job, depends_on[job]?.condition]).toEqual([
            name,
            job,
            'service_completed_successfully',
          ]);
      }
      // The buckets come from `mantis influx setup` itself (the raw bucket the URL names, the long-term one
      // and the downsampling task), run by the same image once InfluxDB answers.
      const setup = config.services['influxdb-setup'];
      expect(setup.image).toBe(config.services['mantis-api'].image);
      expect(setup.restart).toBe('no');
      expect((setup as Service & { command?: string[] }).command).toEqual(['influx', 'setup']);
      expect(setup.depends_on).toEqual({
        influxdb: expect.objectContaining({ condition: 'service_healthy' }),
      });
      expect(setup.environment?.MANTIS_RAW_STORE_URL).toBe(
        config.services['mantis-api'].environment?.MANTIS_RAW_STORE_URL,
      );
      expect(config.services['influxdb-init']).toBeUndefined();
      const minioInit = (config.services['minio-init'] as Service & { entrypoint?: string[] }).entrypoint;
      expect(minioInit?.join(' ')).toContain('local/mantis-objects');
      // Both URLs pass MANTIS's own validation, as `mantis config` in the container would run it.
      const env = config.services['mantis-api'].environment ?? {};
      const checked = spawnSync(process.execPath, [join(root, 'bin/mantis.js'), 'config'], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          MANTIS_RAW_STORE_URL: env.MANTIS_RAW_STORE_URL ?? '',
          MANTIS_OBJECT_STORE_URL: env.MANTIS_OBJECT_STORE_URL ?? '',
          MANTIS_ONLINE_STORE_URL: env.MANTIS_ONLINE_STORE_URL ?? '',
        },
      });
      expect([checked.status, checked.stderr]).toEqual([0, '']);
    });

    it('gives every service a protocol health check with its timings, or marks it a one-shot job', () => {
      for (const [name, s] of services) {
        if (oneShot(s)) {
          expect([name, s.healthcheck?.disable]).toEqual([name, true]);
          continue;
        }
        const h = s.healthcheck ?? {};
        const duration = expect.stringMatching(/^(\d+m)?\d+s$/);
        expect([name, h.interval, h.timeout, typeof h.retries, h.start_period]).toEqual([
          name,
          duration,
          duration,
          'number',
          duration,
        ]);
        // Through the service's protocol: never a bare port probe.
        expect([name, (h.test ?? []).join(' ')]).toEqual([
          name,
          expect.not.stringMatching(/nc -z|\/dev\/tcp|^$/),
        ]);
      }
    });

    it('gives every service a restart policy, CPU and memory limits and a memory reservation', () => {
      for (const [name, s] of services) {
        expect([name, s.restart]).toEqual([
          name,
          expect.stringMatching(/^(no|unless-stopped|always|on-failure(:\d+)?)$/),
        ]);
        const r = s.deploy?.resources;
        expect([
          name,
          typeof r?.limits?.cpus,
          typeof r?.limits?.memory,
          typeof r?.reservations?.memory,
        ]).toEqual([name, 'number', 'string', 'string']);
      }
    });

    it('waits on a condition for every dependency; one-shot jobs are awaited to completion', () => {
      for (const [name, s] of services)
        for (const [dep, d] of Object.entries(s.depends_on ?? {})) {
          const expected = oneShot(config.services[dep])
            ? 'service_completed_successfully'
            : 'service_healthy';
          expect([name, dep, d.condition]).toEqual([name, dep, expected]);
        }
    });

    it('pins every image to a version', () => {
      for (const [name, s] of services)
        expect([name, s.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:(?!latest$)[\w.-]+$/)]);
    });

    it('mounts only files and folders that exist', () => {
      for (const [name, s] of services)
        for (const v of s.volumes ?? [])
          if (v.type === 'bind' && v.source.startsWith(root))
            expect([name, v.source, existsSync(v.source)]).toEqual([name, v.source, true]);
    });

    it('publishes ports only on the bind address, the documented ones, and keeps the data network internal', () => {
      const published = services.flatMap(([name, s]) =>
        (s.ports ?? []).map((p) => {
          expect([name, p.host_ip]).toEqual([name, '127.0.0.1']);
          return `${name} ${p.published}`;
        }),
      );
      const docs = readFileSync(join(root, 'docs/deployment.md'), 'utf8');
      const portsTable = docs.slice(docs.indexOf('## Ports'), docs.indexOf('## Start order'));
      const documented = [...portsTable.matchAll(/^\| ([\w-]+) \| (\d+) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
      expect(published.sort()).toEqual(documented.sort());
      expect(config.networks.data.internal).toBe(true);
      for (const [name, s] of services)
        if (!s.ports?.length)
          expect([name, Object.keys(s.networks ?? {}).filter((n) => n === 'edge')]).toEqual([name, []]);
    });

    it('holds no literal secret: every credential is a required variable from .env', () => {
      const raw = readFileSync(composeFile, 'utf8');
      for (const line of raw.split('\n')) {
        const m = /^\s+([A-Z_]*(PASSWORD|TOKEN|SECRET|ACCESS_KEY)[A-Z_]*): (.+)$/.exec(line);
        if (m) expect([m[1], m[3]]).toEqual([m[1], expect.stringMatching(/\$\{[A-Z_]+:\?[^}]+\}/)]);
      }
      for (const line of readFileSync(exampleEnv, 'utf8').split('\n')) {
        const m = /^([A-Z_]*(PASSWORD|TOKEN|SECRET)[A-Z_]*)=(.*)$/.exec(line);
        if (m) expect([m[1], m[3]]).toEqual([m[1], expect.stringMatching(/change-me/)]);
      }
      expect(readFileSync(join(root, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    });

    it('refuses to start when a secret is missing, naming it', () => {
      const dir = mkdtempSync(join(tmpdir(), 'mantis-compose-'));
      const env = readFileSync(exampleEnv, 'utf8').replace(/^TIMESCALEDB_PASSWORD=.*$/m, '');
      writeFileSync(join(dir, '.env'), env);
      const result = compose(join(dir, '.env'), 'config', '--quiet');
      expect(result.code).not.toBe(0);
      expect(result.out).toContain('TIMESCALEDB_PASSWORD');
    });
  },
);

describe.runIf(lintTools.every((t) => t.available))('the image and the pipelines, linted', () => {
  it('builds MANTIS in stages, as a non-root user, with a health check and a .dockerignore', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(readFileSync(join(root, '.dockerignore'), 'utf8')).toMatch(/^\*\*$/m);
  });

  it('passes hadolint on every Dockerfile', () => {
    const result = run(HADOLINT, ['Dockerfile', 'deploy/compose/mlflow/Dockerfile']);
    expect([result.code, result.out]).toEqual([0, '']);
  });

  it('passes actionlint (with shellcheck) on every workflow', () => {
    const workflows = readdirSync(join(root, '.github/workflows'));
    expect(workflows.sort()).toEqual(['ci.yml', 'deploy.yml', 'release.yml']);
    const result = run(ACTIONLINT, ['-shellcheck', SHELLCHECK]);
    expect([result.code, result.out]).toEqual([0, '']);
  });

  it('passes shellcheck on every script', () => {
    const scripts = [
      'scripts',
      'scripts/stack',
      'scripts/deploy',
      'deploy/compose/postgres',
      'deploy/compose/timescaledb',
    ].flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.sh'))
        .map((f) => `${dir}/${f}`),
    );
    expect(scripts.length).toBeGreaterThan(8);
    const result = run(SHELLCHECK, ['-x', '--severity=warning', ...scripts, '.ci/run']);
    expect([result.code, result.out]).toEqual([0, '']);
  });

  it('release pushes to GHCR with an SBOM and provenance; deploy gates on mantis doctor and rolls back', () => {
    const release = parse(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8'));
    const build = release.jobs.image.steps.find((s: { id?: string }) => s.id === 'build');
    expect(build.with).toMatchObject({ push: true, sbom: true, provenance: 'mode=max' });
    const script = readFileSync(join(root, 'scripts/deploy/remote-deploy.sh'), 'utf8');
    expect(script).toContain('doctor --wait');
    expect(readFileSync(join(root, '.github/workflows/deploy.yml'), 'utf8')).toContain('remote-deploy.sh');
  });
});

describe('the deploy script on the host (scripts/deploy/remote-deploy.sh)', () => {
  // No Docker engine here: a stand-in `docker` records the calls, and its `doctor` fails for one tag.
  const host = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-deploy-'));
    mkdirSync(join(dir, 'deploy/compose'), { recursive: true });
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'deploy/compose/.env'), 'COMPOSE_PROFILES=core\nMANTIS_TAG=0.1.0\n');
    writeFileSync(
      join(dir, 'bin/docker'),
      `#!/usr/bin/env bash
tag="$(sed -n 's/^MANTIS_TAG=//p' .env)"
echo "$tag $*" >> "${dir}/calls.log"
if [[ "$*" == *doctor* && "$tag" == "$FAIL_TAG" ]]; then exit 1; fi
exit 0
`,
      { mode: 0o755 },
    );
    const deploy = (tag: string, failTag: string) =>
      spawnSync('bash', [join(root, 'scripts/deploy/remote-deploy.sh'), tag, '30'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, FAIL_TAG: failTag },
      });
    const calls = () => readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');
    const tag = () => /^MANTIS_TAG=(.*)$/m.exec(readFileSync(join(dir, 'deploy/compose/.env'), 'utf8'))?.[1];
    return { deploy, calls, tag };
  };

  it('keeps the new tag when it comes up and mantis doctor passes', () => {
    const h = host();
    expect(h.deploy('0.2.0', 'none').status).toBe(0);
    expect(h.tag()).toBe('0.2.0');
    expect(h.calls()).toEqual([
      '0.2.0 compose pull --quiet',
      '0.2.0 compose up -d --remove-orphans --wait --wait-timeout 30',
      '0.2.0 compose run --rm --no-deps mantis-api doctor --wait --timeout 30',
    ]);
  });

  it('goes back to the previous tag and fails when mantis doctor does not pass', () => {
    const h = host();
    const result = h.deploy('0.2.0', '0.2.0');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('rolling back to 0.1.0');
    expect(h.tag()).toBe('0.1.0');
    expect(h.calls().slice(3)).toEqual([
      '0.1.0 compose pull --quiet',
      '0.1.0 compose up -d --remove-orphans --wait --wait-timeout 30',
      '0.1.0 compose run --rm --no-deps mantis-api doctor --wait --timeout 30',
    ]);
  });
});
