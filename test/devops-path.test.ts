import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents, english, french } from './helpers/devops-path.ts';
import { anchorsOf, type Mention, mentionsOf, pathExists, root } from './helpers/doc-mentions.ts';
import { commandPath, loadHelp, optionsOf, type ProgramHelp } from './helpers/mantis-help.ts';

/**
 * Keeps docs/devops-path.md and its French version honest about what they name: every repository path,
 * link anchor, npm script, `mantis` command and option, test file and script exists, and both name the
 * same ones. Their figures, quoted test titles and exercise headings are checked by
 * devops-path-figures.test.ts and devops-path-titles.test.ts.
 */

const mentions = new Map<string, Mention[]>(documents.map((d) => [d, mentionsOf(d)]));
const where = (document: string, m: Mention) => `${document}:${m.line}`;
const packageScripts: Record<string, string> = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8'),
).scripts;

/** Commands, subcommands and options of the real `mantis` program, from its own --help, by command path. */
const cli: ProgramHelp = new Map();
const helpDir = mkdtempSync(join(tmpdir(), 'mantis-help-'));
afterAll(() => rmSync(helpDir, { recursive: true, force: true }));

beforeAll(async () => {
  const named = [...mentions.values()].flat().filter((m) => m.kind === 'mantis' || m.kind === 'option');
  const commandWords = named.map((m) => (m.kind === 'option' ? m.value.replace(/ -\S*$/, '') : m.value));
  await loadHelp(cli, commandWords, helpDir);
}, 120_000);

describe.each(documents)('%s', (document) => {
  const named = mentions.get(document) ?? [];

  it('names only repository paths that exist', () => {
    const missing = named
      .filter((m) => m.kind === 'path' && !pathExists(m.value))
      .map((m) => `${where(document, m)}: ${m.value} does not exist`);
    expect(missing).toEqual([]);
  });

  it('links only to headings that exist', () => {
    const broken = named
      .filter((m) => m.kind === 'anchor')
      .filter((m) => {
        const [file, anchor] = m.value.split('#');
        return !existsSync(join(root, file)) || !anchorsOf(file).has(anchor);
      })
      .map(
        (m) => `${where(document, m)}: no heading for #${m.value.split('#')[1]} in ${m.value.split('#')[0]}`,
      );
    expect(broken).toEqual([]);
  });

  it('runs only npm scripts of package.json', () => {
    const missing = named
      .filter((m) => m.kind === 'npm' && !(m.value in packageScripts))
      .map((m) => `${where(document, m)}: npm script "${m.value}" is not in package.json`);
    expect(missing).toEqual([]);
  });

  it('runs only test files that exist', () => {
    const missing = named
      .filter((m) => m.kind === 'vitest' && !(/\.test\.ts$/.test(m.value) && existsSync(join(root, m.value))))
      .map((m) => `${where(document, m)}: test file ${m.value} does not exist`);
    expect(missing).toEqual([]);
  });

  it('invokes only scripts that exist and are executable', () => {
    const bad = named
      .filter((m) => m.kind === 'script')
      .flatMap((m) => {
        const file = join(root, m.value);
        if (!existsSync(file)) return [`${where(document, m)}: script ${m.value} does not exist`];
        return statSync(file).mode & 0o111
          ? []
          : [`${where(document, m)}: script ${m.value} is not executable`];
      });
    expect(bad).toEqual([]);
  });

  it('names only commands the mantis program has', () => {
    const top = cli.get('')?.commands ?? new Set<string>();
    expect(top.size, 'mantis --help lists its commands').toBeGreaterThan(5);
    const unknown = named
      .filter((m) => m.kind === 'mantis')
      .flatMap((m) => {
        const [command, sub] = m.value.split(' ');
        if (!top.has(command)) return [`${where(document, m)}: mantis has no command "${command}"`];
        const subs = cli.get(command)?.commands;
        return sub && subs && !subs.has(sub)
          ? [`${where(document, m)}: mantis ${command} has no command "${sub}"`]
          : [];
      });
    expect(unknown).toEqual([]);
  });

  it('gives mantis commands only options they accept', () => {
    expect(optionsOf(cli, 'doctor'), 'mantis doctor --help lists its options').toContain('--wait');
    const unknown = named
      .filter((m) => m.kind === 'option')
      .flatMap((m) => {
        const option = m.value.split(' ').at(-1) ?? '';
        const path = commandPath(cli, m.value.slice(0, -option.length - 1));
        const accepted = optionsOf(cli, path);
        // An unknown command is reported by the test above.
        return accepted && !accepted.has(option)
          ? [`${where(document, m)}: mantis ${path} has no option ${option} (see mantis ${path} --help)`]
          : [];
      });
    expect(unknown).toEqual([]);
  });

  it('has a heading for each phase 1 to 9 and links to its other language at the top', () => {
    const text = readFileSync(join(root, document), 'utf8');
    const absent = [1, 2, 3, 4, 5, 6, 7, 8, 9]
      .filter((n) => !new RegExp(`^#{2,3} Phase ${n}\\b`, 'm').test(text))
      .map((n) => `${document}: no heading "Phase ${n}"`);
    expect(absent).toEqual([]);
    const other = document === english ? french : english;
    const top = named.filter((m) => m.line <= 5 && m.kind === 'path').map((m) => m.value);
    expect(top, `${document} links to ${other} in its first lines`).toContain(other);
  });
});

describe('the extraction of what a document names', () => {
  const sample = [
    '[Version française](fr/x.md) and [a section](storage.md#redis-online-store), see `deploy/compose/`.',
    'Run `npx vitest run test/a.test.ts test/b.test.ts --reporter=dot` and `npm run dashboards`.',
    '```sh',
    'cd deploy/prometheus && promtool test rules tests/alerts.test.yml',
    'MANTIS_BUS_URL=kafka://h:9092 node bin/mantis.js doctor --wait | tee /tmp/x; mantis etl backup --keep 3',
    'scripts/check-infrastructure-health.sh --local && .ci/run',
    '```',
    'Not commands: `mantis_bus_send_duration_seconds`, `-U mantis`, `/opt/kafka/bin/kafka-topics.sh`.',
  ].join('\n');
  const found = mentionsOf('docs/sample.md', sample).map((m) => `${m.line} ${m.kind} ${m.value}`);

  it('finds links, anchors, code paths, test files, scripts and commands, on their lines', () => {
    expect(found).toEqual([
      '1 path docs/fr/x.md',
      '1 path docs/storage.md',
      '1 anchor docs/storage.md#redis-online-store',
      '1 path deploy/compose',
      '2 path test/a.test.ts',
      '2 path test/b.test.ts',
      '2 vitest test/a.test.ts',
      '2 vitest test/b.test.ts',
      '2 npm dashboards',
      '4 path deploy/prometheus',
      '4 path deploy/prometheus/tests/alerts.test.yml',
      '5 path bin/mantis.js',
      '5 mantis doctor',
      '5 option doctor --wait',
      '5 mantis etl backup',
      '5 option etl backup --keep',
      '6 path scripts/check-infrastructure-health.sh',
      '6 path .ci/run',
      '6 script scripts/check-infrastructure-health.sh',
      '6 script .ci/run',
    ]);
  });

  it('matches paths with * and ** against the files there', () => {
    expect(pathExists('src/**/*.test.ts')).toBe(true);
    expect(pathExists('deploy/grafana/dashboards/*.json')).toBe(true);
    expect(pathExists('deploy/grafana/dashboards/*.yaml')).toBe(false);
    expect(pathExists('deploy/nowhere/*.yml')).toBe(false);
  });

  it('finds what each document names', () => {
    for (const document of documents) {
      const kinds = new Set((mentions.get(document) ?? []).map((m) => m.kind));
      expect([...kinds].sort(), document).toEqual([
        'anchor',
        'mantis',
        'npm',
        'option',
        'path',
        'script',
        'vitest',
      ]);
    }
  });
});

describe('the English and French documents', () => {
  it('name the same paths, scripts, commands and test files', () => {
    const keyed = (document: string) =>
      new Map(
        (mentions.get(document) ?? [])
          // Each names the other, and its own headings in its own language.
          .filter((m) => !(documents as readonly string[]).includes(m.value.split('#')[0]))
          .map((m) => [`${m.kind} ${m.value}`, m] as const)
          .reverse(),
      );
    const [en, fr] = [keyed(english), keyed(french)];
    const drift = [
      ...[...en]
        .filter(([key]) => !fr.has(key))
        .map(([key, m]) => `${french} lacks ${key} (${where(english, m)})`),
      ...[...fr]
        .filter(([key]) => !en.has(key))
        .map(([key, m]) => `${english} lacks ${key} (${where(french, m)})`),
    ];
    expect(drift).toEqual([]);
  });
});
