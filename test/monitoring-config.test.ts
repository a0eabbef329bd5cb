import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { executableAvailable } from './helpers/infra.ts';

const PROMTOOL = '/usr/bin/promtool';
const AMTOOL = '/usr/bin/amtool';
const root = resolve(import.meta.dirname, '..');
const prometheusDir = join(root, 'deploy/prometheus');
const alertmanagerFile = join(root, 'deploy/alertmanager/alertmanager.yml');

const run = (command: string, args: string[], cwd = root) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { code: result.status, out: `${result.stdout}${result.stderr}`, stdout: result.stdout };
};

interface Rule {
  alert?: string;
  record?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (file: string): Rule[] =>
  parse(readFileSync(join(prometheusDir, 'rules', file), 'utf8')).groups.flatMap(
    (g: { rules: Rule[] }) => g.rules,
  );
const alerts = rules('alerts.yml');

describe('alert rules, by what they say', () => {
  it('give every alert a severity, a summary, a description and a runbook section that exists', () => {
    const runbooks = readFileSync(join(root, 'docs/runbooks.md'), 'utf8');
    expect(alerts.length).toBeGreaterThanOrEqual(16);
    for (const rule of alerts) {
      expect([rule.alert, rule.labels?.severity]).toEqual([
        rule.alert,
        expect.stringMatching(/^(critical|warning|info)$/),
      ]);
      expect([rule.alert, typeof rule.annotations?.summary, typeof rule.annotations?.description]).toEqual([
        rule.alert,
        'string',
        'string',
      ]);
      expect(rule.annotations?.runbook_url).toBe(`docs/runbooks.md#${rule.alert?.toLowerCase()}`);
      expect(runbooks).toContain(`\n## ${rule.alert}\n`);
    }
    for (const severity of ['critical', 'warning', 'info']) {
      expect(alerts.some((r) => r.labels?.severity === severity)).toBe(true);
    }
  });

  it('cover what the plan asks to be paged for', () => {
    expect(alerts.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'TargetDown',
        'IngestionStalled',
        'ConsumerLagGrowing',
        'HighErrorRatio',
        'HighLatencyP99',
        'PostgresConnectionsNearLimit',
        'PostgresCacheHitRatioLow',
        'RedisMemoryHigh',
        'RedisEvicting',
        'DiskFillingUp',
        'AssetHealthCritical',
        'PipelineStalled',
      ]),
    );
  });

  it('have a promtool unit test for every alert', () => {
    const tests = readFileSync(join(prometheusDir, 'tests/alerts.test.yml'), 'utf8');
    for (const rule of alerts)
      expect([rule.alert, tests.includes(`alertname: ${rule.alert}\n`)]).toEqual([rule.alert, true]);
  });
});

const promtool = await executableAvailable(PROMTOOL);
const amtool = await executableAvailable(AMTOOL);

describe.runIf(promtool.available)('Prometheus configuration, checked by promtool', () => {
  it('passes promtool check config, with the rule files it loads', () => {
    // The file names rules where the compose stack mounts them; here they are read from the repository.
    const dir = mkdtempSync(join(tmpdir(), 'mantis-prometheus-'));
    const config = readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8').replace(
      '/etc/prometheus/rules/*.yml',
      join(prometheusDir, 'rules/*.yml'),
    );
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const { code, out } = run(PROMTOOL, ['check', 'config', join(dir, 'prometheus.yml')]);
    // Every rule of both files is loaded.
    expect(out).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(out).toContain(`SUCCESS: ${rules('recording.yml').length} rules found`);
    expect(code, out).toBe(0);
  });

  it('passes promtool check rules', () => {
    const { code, out } = run(
      PROMTOOL,
      ['check', 'rules', 'rules/recording.yml', 'rules/alerts.yml'],
      prometheusDir,
    );
    expect(code, out).toBe(0);
  });

  it('passes promtool test rules: each alert fires when it should and stays silent when it should not', () => {
    const { code, out } = run(PROMTOOL, ['test', 'rules', 'tests/alerts.test.yml'], prometheusDir);
    expect(out).toContain('SUCCESS');
    expect(code, out).toBe(0);
  });
});

describe.runIf(amtool.available)('Alertmanager configuration, checked by amtool', () => {
  it('passes amtool check-config', () => {
    const { code, out } = run(AMTOOL, ['check-config', alertmanagerFile]);
    expect(code, out).toBe(0);
  });

  it.each([
    [['severity=critical', 'service=api'], 'ops-pager'],
    [['severity=warning', 'service=api'], 'ops-slack'],
    [['severity=info', 'service=ingest'], 'ops-email'],
    [['severity=critical', 'team=maintenance', 'asset=pump-2'], 'maintenance-webhook'],
    [['alertname=Unclassified'], 'ops-email'],
  ])('routes %j to %s', (labels, receiver) => {
    const { code, stdout } = run(AMTOOL, [
      'config',
      'routes',
      'test',
      `--config.file=${alertmanagerFile}`,
      ...labels,
    ]);
    expect([code, stdout.trim()]).toEqual([0, receiver]);
  });

  it('reads every credential from a secret file, and holds none', () => {
    const text = readFileSync(alertmanagerFile, 'utf8');
    const config = parse(text);
    expect(config.global.smtp_auth_password_file).toMatch(/^\/run\/secrets\//);
    expect(config.global.slack_api_url_file).toMatch(/^\/run\/secrets\//);
    expect(text).not.toMatch(/smtp_auth_password:|api_url:|hooks\.slack\.com|credentials:/);
    // Current matcher syntax only.
    expect(text).not.toMatch(/^\s+(match|match_re|source_match|target_match):/m);
  });
});
