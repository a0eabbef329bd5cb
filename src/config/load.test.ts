import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envName, loadConfig, redact, settingPaths } from './load.ts';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('runs on embedded defaults with no input', () => {
    const config = loadConfig();
    expect(config.bus.url).toBe('memory:');
    expect(config.http.port).toBe(8080);
    expect(config.pipeline.windowSeconds).toBe(10);
    expect(config.ingest.token).toBeUndefined();
  });

  it('derives environment names from the schema', () => {
    expect(envName('pipeline.windowSeconds')).toBe('MANTIS_PIPELINE_WINDOW_SECONDS');
    expect(envName('http.port')).toBe('MANTIS_HTTP_PORT');
    expect(settingPaths()).toContain('scoring.baselineWindows');
  });

  it('applies yaml < .env < environment < overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-config-'));
    writeFileSync(join(dir, 'mantis.yaml'), 'http:\n  port: 9000\npipeline:\n  windowSeconds: 20\n');
    writeFileSync(join(dir, '.env'), 'MANTIS_HTTP_PORT=9001\nMANTIS_LOG_LEVEL=warn\n');
    const config = loadConfig({
      yamlFile: join(dir, 'mantis.yaml'),
      dotenvFile: join(dir, '.env'),
      env: { MANTIS_HTTP_PORT: '9002', PATH: '/bin' },
      overrides: { 'pipeline.windowSeconds': 5 },
    });
    expect(config.http.port).toBe(9002);
    expect(config.log.level).toBe('warn');
    expect(config.pipeline.windowSeconds).toBe(5);
  });

  it('lists every bad key at once, by environment name and path, with the reason', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          MANTIS_HTTP_PORT: 'eighty',
          MANTIS_BUS_URL: 'amqp://x',
          MANTIS_PIPELINE_WINDOW_SECONDS: '-1',
          MANTIS_INGEST_TOKEN: 'short',
          MANTIS_WINDOW: '10',
        },
      }),
    );
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/MANTIS_WINDOW: unknown setting/);
    expect(problems.join('\n')).toMatch(/MANTIS_HTTP_PORT \(http.port\): .*number/i);
    expect(problems.join('\n')).toMatch(
      /MANTIS_BUS_URL \(bus.url\): unsupported bus URL; expected one of: memory:/,
    );
    expect(problems.join('\n')).toMatch(/MANTIS_PIPELINE_WINDOW_SECONDS \(pipeline.windowSeconds\)/);
    expect(problems.join('\n')).toMatch(
      /MANTIS_INGEST_TOKEN \(ingest.token\): must be at least 16 characters/,
    );
  });

  it('reports unknown keys and cross-field rules from mantis.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-config-'));
    writeFileSync(
      join(dir, 'mantis.yaml'),
      'http:\n  prot: 1\nscoring:\n  alertBelow: 70\n  clearAbove: 50\n',
    );
    const problems = problemsOf(() => loadConfig({ yamlFile: join(dir, 'mantis.yaml') }));
    expect(problems.join('\n')).toMatch(/http.*prot/);
    expect(problems.join('\n')).toMatch(/scoring.clearAbove\): clearAbove must be greater than alertBelow/);
  });

  it('parses list settings from the environment and checks them', () => {
    expect(loadConfig({ env: { MANTIS_PIPELINE_BAND_EDGES_HZ: '0,100,1000' } }).pipeline.bandEdgesHz).toEqual(
      [0, 100, 1000],
    );
    const problems = problemsOf(() => loadConfig({ env: { MANTIS_PIPELINE_BAND_EDGES_HZ: '0,500,100' } }));
    expect(problems).toEqual(['MANTIS_PIPELINE_BAND_EDGES_HZ (pipeline.bandEdgesHz): must be ascending']);
  });

  it.each([
    ['MANTIS_RAW_STORE_URL', 'influxdb://127.0.0.1:18086', /\(rawStore.url\): the database is missing/],
    [
      'MANTIS_RAW_STORE_URL',
      'influxdb://127.0.0.1:18086/mantis?batch=0',
      /batch must be a positive integer, got "0"/,
    ],
    ['MANTIS_RAW_STORE_URL', 'influxdb2://127.0.0.1:18086?org=o', /bucket is missing/],
    [
      'MANTIS_ONLINE_STORE_URL',
      'redis://127.0.0.1:16379/abc',
      /\(onlineStore.url\): database "abc": expected a number/,
    ],
    ['MANTIS_OBJECT_STORE_URL', 's3://', /\(objectStore.url\): bucket "": 3–63/],
    ['MANTIS_OBJECT_STORE_URL', 's3://Bad_Bucket', /bucket "bad_bucket"|bucket "Bad_Bucket"/],
    ['MANTIS_OBJECT_STORE_URL', 'file://', /\(objectStore.url\): file:\/\/: name a folder/],
    ['MANTIS_STACK_REDIS_URL', 'redis:///0', /\(stack.redisUrl\): the host is missing/],
    ['MANTIS_STACK_S3_URL', 's3://bkt?endpoint=ftp://x', /\(stack.s3Url\): endpoint "ftp:\/\/x"/],
  ])('refuses %s=%s with the adapter parser reason', (name, url, reason) => {
    const problems = problemsOf(() => loadConfig({ env: { [name]: url } }));
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${name} (`)).toBe(true);
    expect(problems[0]).toMatch(reason);
  });

  it('accepts the store URLs their adapters accept', () => {
    const config = loadConfig({
      env: {
        MANTIS_RAW_STORE_URL: 'influxdb://127.0.0.1:18086/mantis?rp=raw&batch=100',
        MANTIS_ONLINE_STORE_URL: 'redis://:pw@127.0.0.1:16379/2',
        MANTIS_OBJECT_STORE_URL: 's3://mantis/exports?endpoint=http://minio:9000',
      },
    });
    expect(config.rawStore.url).toBe('influxdb://127.0.0.1:18086/mantis?rp=raw&batch=100');
    expect(config.onlineStore.url).toBe('redis://:pw@127.0.0.1:16379/2');
    expect(config.objectStore.url).toBe('s3://mantis/exports?endpoint=http://minio:9000');
  });

  it('reports a yaml file that is not a mapping', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-config-'));
    writeFileSync(join(dir, 'mantis.yaml'), '- a\n- b\n');
    expect(problemsOf(() => loadConfig({ yamlFile: join(dir, 'mantis.yaml') }))[0]).toMatch(/mapping/);
  });

  it('redacts secrets and passwords in URLs', () => {
    const config = loadConfig({
      env: {
        MANTIS_INGEST_TOKEN: 'a-very-secret-token-123',
        MANTIS_DATABASE_URL: 'postgres://u:a-very-secret@db:5432/m',
      },
    });
    expect(redact(config).ingest.token).toBe('<redacted>');
    expect(redact(config).database.url).toBe('postgres://u:<redacted>@db:5432/m');
    expect(JSON.stringify(redact(config))).not.toContain('a-very-secret');
  });
});
