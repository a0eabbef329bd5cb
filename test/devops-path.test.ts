import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Keeps docs/devops-path.md and its French version honest: every repository path, npm script, `mantis`
 * command, test file and script they name exists, and both name the same ones.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const english = 'docs/devops-path.md';
const french = 'docs/fr/parcours-devops.md';
const documents = [english, french] as const;

/** Top-level folders and files of the repository whose names start a repository path in code. */
const pathPattern =
  /(?<![\w./$-])((?:\.ci|\.github|bench|bin|dashboards|deploy|docs|migrations|scripts|src|test|web)\/[\w.@*/-]*|Dockerfile|package\.json|README\.md|vitest\.config\.ts|tsconfig\.json|biome\.json|\.dockerignore)(?![\w./-])/g;
/** A file named relative to a folder a command line has `cd`-ed into. */
const relativeFilePattern = /^[\w.-]+(?:\/[\w.-]+)*\.(?:ya?ml|json|sh|ts|sql|conf|tmpl)$/;

type Kind = 'path' | 'anchor' | 'npm' | 'mantis' | 'vitest' | 'script';
interface Mention {
  kind: Kind;
  /** The repository path, script name or command words (`etl backup`). */
  value: string;
  line: number;
}

/** Code of one line: the whole line inside a fenced block, else its code spans. */
function codeOf(line: string, fenced: boolean): string[] {
  if (fenced) return [line];
  return [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** Simple commands of a shell text: split at &&, ||, ;, | and $( with leading VAR=value assignments removed. */
function simpleCommands(code: string): string[][] {
  return code
    .split(/&&|\|\||;|\||\$\(/)
    .map((part) =>
      part
        .trim()
        .replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, '')
        .split(/\s+/)
        .filter((word) => word !== '' && word !== '\\'),
    )
    .filter((words) => words.length > 0);
}

/** Everything a document (a path from the repository root) names, with the line it is named on. */
function mentionsOf(document: string, content = readFileSync(join(root, document), 'utf8')): Mention[] {
  const mentions: Mention[] = [];
  const folder = dirname(document);
  let fenced = false;
  let cwd = '';
  content.split('\n').forEach((text, index) => {
    const line = index + 1;
    if (/^\s*```/.test(text)) {
      fenced = !fenced;
      cwd = '';
      return;
    }
    for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const [target, anchor] = m[1].split('#');
      if (/^[a-z]+:/i.test(target)) continue;
      const file = target === '' ? document : normalize(join(folder, target));
      if (target !== '') mentions.push({ kind: 'path', value: file, line });
      if (anchor) mentions.push({ kind: 'anchor', value: `${file}#${anchor}`, line });
    }
    for (const code of codeOf(text, fenced)) {
      if (!fenced) cwd = '';
      for (const m of code.matchAll(pathPattern))
        mentions.push({ kind: 'path', value: m[1].replace(/\/$/, ''), line });
      for (const words of simpleCommands(code)) {
        const [first, second, third] = words;
        if (first === 'cd' && second) cwd = normalize(join(cwd, second));
        else if (cwd)
          for (const word of words.slice(1))
            if (relativeFilePattern.test(word))
              mentions.push({ kind: 'path', value: normalize(join(cwd, word)), line });
        if (first === 'npm' && second === 'run' && third) mentions.push({ kind: 'npm', value: third, line });
        if (first === 'npm' && (second === 'test' || second === 'start'))
          mentions.push({ kind: 'npm', value: second, line });
        if (first === 'npx' && second === 'vitest' && third === 'run')
          for (const word of words.slice(3)) {
            if (word.startsWith('-')) break;
            mentions.push({ kind: 'vitest', value: word, line });
          }
        const cli =
          first === 'mantis'
            ? words.slice(1)
            : first === 'node' && second === 'bin/mantis.js'
              ? words.slice(2)
              : null;
        if (cli?.[0] && /^[a-z][\w-]*$/.test(cli[0]))
          mentions.push({
            kind: 'mantis',
            value: cli[1] && /^[a-z][\w-]*$/.test(cli[1]) ? `${cli[0]} ${cli[1]}` : cli[0],
            line,
          });
        if (/^(?:\.\/)?(?:scripts\/\S+\.sh|\.ci\/run)$/.test(first))
          mentions.push({ kind: 'script', value: first.replace(/^\.\//, ''), line });
      }
    }
  });
  return mentions;
}

/** Whether a repository path exists; `*` matches within a name and `**` any folders. */
function pathExists(path: string): boolean {
  if (!path.includes('*')) return existsSync(join(root, path));
  const segments = path.split('/');
  const base = segments
    .slice(
      0,
      segments.findIndex((s) => s.includes('*')),
    )
    .join('/');
  const literal = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `^${path
      .split('**/')
      .map((part) => part.split('*').map(literal).join('[^/]*'))
      .join('(?:.*/)?')}$`,
  );
  if (!existsSync(join(root, base))) return false;
  return readdirSync(join(root, base), { recursive: true, encoding: 'utf8' }).some((entry) =>
    pattern.test(`${base}/${entry}`),
  );
}

/**
 * Anchors of a Markdown file's headings, as GitHub makes them: lower case, punctuation dropped (letters of
 * any script kept), spaces as hyphens.
 */
function anchorsOf(file: string): Set<string> {
  const headings = readFileSync(join(root, file), 'utf8').matchAll(/^#{1,6} (.+)$/gm);
  return new Set(
    [...headings].map((h) =>
      h[1]
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

const mentions = new Map<string, Mention[]>(documents.map((d) => [d, mentionsOf(d)]));
const where = (document: string, m: Mention) => `${document}:${m.line}`;
const packageScripts: Record<string, string> = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8'),
).scripts;

/** Commands and subcommands of the real `mantis` program, from its own --help. */
const cli = new Map<string, Set<string> | null>();
const run = promisify(execFile);
const helpDir = mkdtempSync(join(tmpdir(), 'mantis-help-'));
afterAll(() => rmSync(helpDir, { recursive: true, force: true }));
async function commandsOf(args: string[]): Promise<Set<string> | null> {
  const { stdout } = await run(process.execPath, [join(root, 'bin/mantis.js'), ...args, '--help'], {
    cwd: helpDir,
    env: { PATH: process.env.PATH ?? '' },
  });
  const section = stdout.split(/^Commands:$/m)[1];
  if (!section) return null;
  return new Set(
    [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]).filter((name) => name !== 'help'),
  );
}

beforeAll(async () => {
  const named = [...mentions.values()].flat().filter((m) => m.kind === 'mantis');
  const top = (await commandsOf([])) ?? new Set<string>();
  const withSub = new Set(
    named
      .filter((m) => m.value.includes(' ') && top.has(m.value.split(' ')[0]))
      .map((m) => m.value.split(' ')[0]),
  );
  cli.set('', top);
  await Promise.all([...withSub].map(async (command) => cli.set(command, await commandsOf([command]))));
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
    const top = cli.get('') ?? new Set<string>();
    expect(top.size, 'mantis --help lists its commands').toBeGreaterThan(5);
    const unknown = named
      .filter((m) => m.kind === 'mantis')
      .flatMap((m) => {
        const [command, sub] = m.value.split(' ');
        if (!top.has(command)) return [`${where(document, m)}: mantis has no command "${command}"`];
        const subs = cli.get(command);
        return sub && subs && !subs.has(sub)
          ? [`${where(document, m)}: mantis ${command} has no command "${sub}"`]
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
      '5 mantis etl backup',
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
      expect([...kinds].sort(), document).toEqual(['anchor', 'mantis', 'npm', 'path', 'script', 'vitest']);
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
