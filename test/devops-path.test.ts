import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { topics } from '../src/bus/port.ts';

/**
 * Keeps docs/devops-path.md and its French version honest: every repository path, npm script, `mantis`
 * command and option, test file, test title and script they name exists, both name the same ones and give
 * the same figures, every exercise of the plan has its heading, and the counts and sums they state match
 * the files they are counted from.
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

type Kind = 'path' | 'anchor' | 'npm' | 'mantis' | 'option' | 'vitest' | 'script';
interface Mention {
  kind: Kind;
  /** The repository path, script name, command words (`etl backup`) or command and option (`doctor --wait`). */
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
        if (cli?.[0] && /^[a-z][\w-]*$/.test(cli[0])) {
          const command = cli[1] && /^[a-z][\w-]*$/.test(cli[1]) ? `${cli[0]} ${cli[1]}` : cli[0];
          mentions.push({ kind: 'mantis', value: command, line });
          const end = cli.indexOf('--');
          for (const word of cli.slice(1, end === -1 ? undefined : end))
            if (/^--?[A-Za-z]/.test(word))
              mentions.push({ kind: 'option', value: `${command} ${word.replace(/=.*/, '')}`, line });
        }
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

/** What one command of the real `mantis` program lists in its --help. */
interface Help {
  /** Its subcommands, or null when it has none. */
  commands: Set<string> | null;
  /** Its options, short and long (`-c`, `--config`, `--no-simulate`). */
  options: Set<string>;
}

/** Commands, subcommands and options of the real `mantis` program, from its own --help, by command path. */
const cli = new Map<string, Help>();
const run = promisify(execFile);
const helpDir = mkdtempSync(join(tmpdir(), 'mantis-help-'));
afterAll(() => rmSync(helpDir, { recursive: true, force: true }));

/** Parses commander's help text: the `Commands:` and `Options:` sections, two spaces in. */
function parseHelp(text: string): Help {
  const section = (name: string) => text.split(new RegExp(`^${name}:$`, 'm'))[1]?.split(/^\S/m)[0];
  const commands = section('Commands');
  const options = [...(section('Options') ?? '').matchAll(/^ {2}(-.*?)(?: {2,}|$)/gm)].flatMap((m) =>
    [...m[1].matchAll(/(?<![\w<[-])--?[A-Za-z][\w-]*/g)].map((o) => o[0]),
  );
  return {
    commands: commands
      ? new Set(
          [...commands.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]).filter((name) => name !== 'help'),
        )
      : null,
    options: new Set(options),
  };
}

async function helpOf(args: string[]): Promise<Help> {
  const { stdout } = await run(process.execPath, [join(root, 'bin/mantis.js'), ...args, '--help'], {
    cwd: helpDir,
    env: { PATH: process.env.PATH ?? '' },
  });
  return parseHelp(stdout);
}

/**
 * The command path a mention's words name: `etl backup` when `backup` is a subcommand of `etl`, else the
 * first word alone (the second is an argument, or unknown and reported as such).
 */
function commandPath(words: string): string {
  const [command, sub] = words.split(' ');
  return sub && cli.get(command)?.commands?.has(sub) ? `${command} ${sub}` : command;
}

/** Options a command path accepts: its own, and the program's (--help, --version). */
function optionsOf(path: string): Set<string> | null {
  const own = cli.get(path);
  return own ? new Set([...own.options, ...(cli.get('')?.options ?? [])]) : null;
}

beforeAll(async () => {
  const named = [...mentions.values()].flat().filter((m) => m.kind === 'mantis' || m.kind === 'option');
  const commandWords = named.map((m) => (m.kind === 'option' ? m.value.replace(/ -\S*$/, '') : m.value));
  cli.set('', await helpOf([]));
  const top = cli.get('')?.commands ?? new Set<string>();
  const firsts = new Set(commandWords.map((w) => w.split(' ')[0]).filter((c) => top.has(c)));
  await Promise.all([...firsts].map(async (command) => cli.set(command, await helpOf([command]))));
  const subs = new Set(commandWords.map(commandPath).filter((path) => path.includes(' ')));
  await Promise.all([...subs].map(async (path) => cli.set(path, await helpOf(path.split(' ')))));
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
    expect(optionsOf('doctor'), 'mantis doctor --help lists its options').toContain('--wait');
    const unknown = named
      .filter((m) => m.kind === 'option')
      .flatMap((m) => {
        const option = m.value.split(' ').at(-1) ?? '';
        const path = commandPath(m.value.slice(0, -option.length - 1));
        const accepted = optionsOf(path);
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

/** A number of a document, normalised: `4,29` and `4.29` are `4.29`, `5 000` is `5000`, `01` is `1`. */
interface Figure {
  value: string;
  line: number;
}
/** A section: a heading and the lines up to the next one. */
interface Section {
  heading: string;
  line: number;
  end: number;
  figures: Figure[];
}

/** A number in prose or code; groups of three digits after a (thin, non-breaking) space join it. */
const numberPattern = /(?<![\d.,])\d{1,3}(?:[ \u00A0\u202F\u2009]\d{3})+(?![\d.,]\d)|\d+(?:[.,]\d+)*/g;

/** Normalises a number as written in English or French to one spelling. */
function normalise(written: string): string {
  const joined = written.replace(/[ \u00A0\u202F\u2009]/g, '');
  const decimal = /^\d+,\d+$/.test(joined) ? joined.replace(',', '.') : joined;
  return /^\d+(?:\.\d+)?$/.test(decimal) ? String(Number(decimal)) : decimal;
}

/**
 * A document's sections (headings outside fenced code), each with the numbers it writes. Link targets
 * are left out: an anchor is spelt in the document's language.
 */
function sectionsOf(content: string): Section[] {
  const sections: Section[] = [];
  let fenced = false;
  content.split('\n').forEach((text, index) => {
    const line = index + 1;
    if (/^\s*```/.test(text)) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(text);
    if (heading || sections.length === 0) {
      if (sections.length > 0) sections[sections.length - 1].end = line - 1;
      sections.push({ heading: heading ? heading[1] : '', line, end: line, figures: [] });
    }
    const section = sections[sections.length - 1];
    section.end = line;
    for (const m of text.replace(/\]\([^)\s]*\)/g, ']').matchAll(numberPattern))
      section.figures.push({ value: normalise(m[0]), line });
  });
  return sections;
}

/** Figures of `mine` that `theirs` lacks, counting repeats: multiset difference. */
function extraFigures(mine: Figure[], theirs: Figure[]): Figure[] {
  const left = new Map<string, number>();
  for (const f of theirs) left.set(f.value, (left.get(f.value) ?? 0) + 1);
  return mine.filter((f) => {
    const n = left.get(f.value) ?? 0;
    left.set(f.value, n - 1);
    return n <= 0;
  });
}

describe('the figures of the English and French documents', () => {
  it('normalises numbers as each language writes them', () => {
    const figures = sectionsOf(
      '# A\n4,29 s and 4.29 s; 5\u202f000 and 5 000 rows; 2026-12-01; 27, 25 et 5; [x](#phase-1-2)',
    )[0].figures.map((f) => f.value);
    expect(figures).toEqual(['4.29', '4.29', '5000', '5000', '2026', '12', '1', '27', '25', '5']);
  });

  it('write the same numbers, section by section', () => {
    const [en, fr] = documents.map((d) => sectionsOf(readFileSync(join(root, d), 'utf8')));
    // Sections pair by position when both have the same headings; else the whole documents are compared.
    const whole = (sections: Section[]): Section[] => [
      { heading: '', line: 1, end: sections.at(-1)?.end ?? 1, figures: sections.flatMap((s) => s.figures) },
    ];
    const [left, right] = en.length === fr.length ? [en, fr] : [whole(en), whole(fr)];
    const differences = left.flatMap((section, i) => {
      const other = right[i];
      const span = (document: string, s: Section) =>
        left === en
          ? `${document} § "${s.heading}" (lines ${s.line}–${s.end})`
          : `${document} (compared whole: the two have ${en.length} and ${fr.length} headings)`;
      return [
        ...extraFigures(section.figures, other.figures).map(
          (f) => `${english}:${f.line}: ${f.value} is not in ${span(french, other)}`,
        ),
        ...extraFigures(other.figures, section.figures).map(
          (f) => `${french}:${f.line}: ${f.value} is not in ${span(english, section)}`,
        ),
      ];
    });
    expect(differences).toEqual([]);
  });
});

/** A test title a document quotes beside the test files it names. */
interface Quote {
  line: number;
  title: string;
  files: string[];
}

/**
 * Titles quoted ("…" or « … ») in the parentheses that follow a code span naming test files, as in
 * `npx vitest run test/a.test.ts` ("title", "title"). A leading or trailing … marks a shortened title.
 */
function quotesOf(content: string): Quote[] {
  const lineAt = (offset: number) => content.slice(0, offset).split('\n').length;
  return [...content.matchAll(/`([^`]*\.test\.ts[^`]*)`\s*\(([^)]*)\)/g)].flatMap((m) => {
    const files = m[1].split(/\s+/).filter((word) => /\.test\.ts$/.test(word));
    const start = (m.index ?? 0) + m[0].length - m[2].length - 1;
    return [...m[2].matchAll(/"([^"]+)"|«\s*([^»]+?)\s*»/g)].map((q) => ({
      line: lineAt(start + (q.index ?? 0)),
      title: (q[1] ?? q[2]).replace(/\s+/g, ' '),
      files,
    }));
  });
}

/** Titles of a test file's describe, it and test calls, as written in its source. */
function titlesOf(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(/\b(?:describe|it|test)(?:\.\w+)*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map(
    (m) => m[2].replace(/\\(.)/g, '$1'),
  );
}

/** Whether a quoted title is a title, or a shortened one: cut after a colon or semicolon, or with …. */
function quotes(quote: string, title: string): boolean {
  const [leading, trailing] = [quote.startsWith('…'), quote.endsWith('…')];
  const core = quote.replace(/^…|…$/g, '');
  for (let at = title.indexOf(core); at !== -1; at = title.indexOf(core, at + 1)) {
    const rest = title.slice(at + core.length);
    if ((leading || at === 0) && (trailing || rest === '' || /^[:;,]/.test(rest))) return true;
  }
  return false;
}

describe.each(documents)('the test titles %s quotes', (document) => {
  const found = quotesOf(readFileSync(join(root, document), 'utf8'));

  it('are found', () => {
    expect(found.length, `${document} quotes test titles`).toBeGreaterThan(10);
  });

  it('are titles of the test files named beside them', () => {
    const wrong = found
      .filter(
        (q) => !q.files.some((f) => existsSync(join(root, f)) && titlesOf(f).some((t) => quotes(q.title, t))),
      )
      .map((q) => `${document}:${q.line}: no test titled "${q.title}" in ${q.files.join(', ')}`);
    expect(wrong).toEqual([]);
  });
});

describe('the quoting of test titles', () => {
  it('finds quotes across lines, in both languages, with their lines', () => {
    const text = 'x `npx vitest run test/a.test.ts` ("one", "two\nlines") and `test/b.test.ts` (« trois… »)';
    expect(quotesOf(text)).toEqual([
      { line: 1, title: 'one', files: ['test/a.test.ts'] },
      { line: 1, title: 'two lines', files: ['test/a.test.ts'] },
      { line: 2, title: 'trois…', files: ['test/b.test.ts'] },
    ]);
  });

  it('accepts whole titles and titles shortened with … or at a colon, and nothing else', () => {
    const title = 'holds no literal secret: every credential is a required variable';
    expect(quotes('holds no literal secret', title)).toBe(true);
    expect(quotes(title, title)).toBe(true);
    expect(quotes('holds no literal…', title)).toBe(true);
    expect(quotes('…a required variable', title)).toBe(true);
    expect(quotes('holds no literal', title)).toBe(false);
    expect(quotes('every credential is a required variable', title)).toBe(false);
    expect(quotes('holds no literal secrets', title)).toBe(false);
  });
});

/** The plan, beside the repository in a working copy; the test reads it when it is there. */
const planFile = join(root, '../shared/seed/mantis-devops-learning-path.fr.md');
const plan = existsSync(planFile) ? readFileSync(planFile, 'utf8') : null;

/** The plan's numbered exercises (`#### 1.1 …`, `#### TP1.2: …`), as of the plan of 2026. */
const exercisesFallback = ['1.1', '1.2', '1.3', '1.4', '1.5', 'TP1.1', 'TP1.2', 'TP1.3'];
/**
 * The plan's other exercise groups (its phase 2 and 3 objectives, its checklist sections), as the plan
 * names them, with the heading each document gives them.
 */
const groups: { plan: string; en: string; fr: string }[] = [
  { plan: 'PostgreSQL', en: 'PostgreSQL', fr: 'PostgreSQL' },
  { plan: 'TimescaleDB', en: 'TimescaleDB', fr: 'TimescaleDB' },
  { plan: 'InfluxDB', en: 'InfluxDB', fr: 'InfluxDB' },
  { plan: 'Redis', en: 'Redis', fr: 'Redis' },
  { plan: 'Métriques', en: 'Metrics', fr: 'Métriques' },
  { plan: 'Scraping', en: 'Scraping', fr: 'Scraping' },
  { plan: 'Alerting', en: 'Alerting', fr: 'Alerting' },
  { plan: 'Docker & Compose', en: 'Docker and Compose', fr: 'Docker et Compose' },
  { plan: 'Monitoring', en: 'Monitoring', fr: 'Monitoring' },
  { plan: 'Databases', en: 'Databases', fr: 'Bases de données' },
  { plan: 'CI/CD', en: 'CI/CD', fr: 'CI/CD' },
];

/** Numbered exercises and exercise groups of a plan's text. */
function planExercises(text: string): { exercises: string[]; groups: string[] } {
  const checklist = text.split(/^## .*Checklist.*$/m)[1]?.split(/^## /m)[0] ?? '';
  return {
    exercises: [...text.matchAll(/^#{2,6} +((?:TP)?\d+\.\d+)\b/gm)].map((m) => m[1]),
    groups: [
      ...[...text.matchAll(/^\d+\. \*\*([^*]+)\*\*: *$/gm)].map((m) => m[1]),
      ...[...checklist.matchAll(/^### +(.+?)\s*$/gm)].map((m) => m[1]),
    ],
  };
}

describe('the exercises of the plan', () => {
  it('are the ones this test lists, when the plan is beside the repository', () => {
    const listed = { exercises: exercisesFallback, groups: groups.map((g) => g.plan) };
    expect(plan === null ? listed : planExercises(plan), planFile).toEqual(listed);
  });

  it.each(documents)('each have their heading in %s', (document) => {
    const text = readFileSync(join(root, document), 'utf8');
    const language = document === english ? 'en' : 'fr';
    const exercises = plan === null ? exercisesFallback : planExercises(plan).exercises;
    const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const lineOf = (id: string) => {
      const at = text.search(new RegExp(`^#{3,4} ${literal(id)}(?: |:|$)`, 'm'));
      return at === -1 ? null : text.slice(0, at).split('\n').length;
    };
    // Where a missing heading belongs: after the heading of the exercise before it.
    const after = (i: number) => {
      const previous = exercises.slice(0, i).findLast((id) => lineOf(id) !== null);
      return previous ? `:${lineOf(previous)}: after "### ${previous}",` : ':';
    };
    const absent = [
      ...exercises.flatMap((id, i) =>
        lineOf(id) === null
          ? [`${document}${after(i)} no heading for exercise ${id} of the plan ("### ${id} …")`]
          : [],
      ),
      ...groups
        .filter((g) => !new RegExp(`^#{3,4} ${literal(g[language])}$`, 'm').test(text))
        .map((g) => `${document}: no heading "### ${g[language]}" for the plan's "${g.plan}"`),
    ];
    expect(absent).toEqual([]);
  });
});

/** A claim written in both documents, with the numbers it states and how to check them. */
interface Claim {
  /** What is stated, for messages. */
  what: string;
  en: RegExp;
  fr: RegExp;
  /** The problem with the numbers stated (normalised), or null when they are right. */
  check: (stated: string[]) => string | null;
}

/** Whether a stated number is `actual` rounded to as many decimals as it is written with. */
function rounds(stated: string, actual: number): boolean {
  const decimals = stated.split('.')[1]?.length ?? 0;
  return Number(actual.toFixed(decimals)) === Number(stated);
}

/** Memory as Docker Compose writes it (`512M`, `2G`, binary units) in GiB. */
function gib(memory: unknown): number {
  const m = /^(\d+(?:\.\d+)?)([bkmg])?$/i.exec(String(memory ?? '0'));
  if (!m) throw new Error(`memory "${memory}" is not a Docker Compose byte value`);
  return Number(m[1]) / 1024 ** (3 - 'bkmg'.indexOf((m[2] ?? 'b').toLowerCase()));
}

/** Seconds of a Docker Compose duration written in whole seconds (`20s`). */
function seconds(duration: unknown): number {
  const m = /^(\d+)s$/.exec(String(duration));
  if (!m) throw new Error(`duration "${duration}" is not in whole seconds`);
  return Number(m[1]);
}

/**
 * The rows of the table "a fresh PostgreSQL, from nothing to a query": each step in seconds, the line, and
 * whether the run was quiet (load average under 5: the quiet runs had 1.8–3.5, the loaded ones 11–14).
 */
function coldStarts(content: string) {
  const s = String.raw`([\d.,]+) s`;
  const row = new RegExp(
    String.raw`^\| \d \(([\d.,]+)–[^)]*\) \| ${s} \| ${s} \| ${s} \| \*\*${s}\*\* \| ${s} \|$`,
    'gm',
  );
  return [...content.matchAll(row)].map((m) => {
    const [load, initdb, init, tcp, total, restart] = m.slice(1).map((v) => Number(normalise(v)));
    const line = content.slice(0, m.index).split('\n').length;
    return { line, quiet: load < 5, initdb, init, tcp, total, restart };
  });
}

describe('the counts, sums and ratios the documents state', () => {
  interface HealthCheck {
    interval: string;
    retries: number;
    start_period: string;
  }
  interface Service {
    healthcheck?: HealthCheck;
    deploy?: { resources?: { limits?: { memory?: string }; reservations?: { memory?: string } } };
  }
  const compose: { services: Record<string, Service>; 'x-logging': { options: Record<string, string> } } =
    parseYaml(readFileSync(join(root, 'deploy/compose/docker-compose.yml'), 'utf8'), { merge: true });
  const services = Object.values(compose.services);
  const alerts = readFileSync(join(root, 'deploy/prometheus/rules/alerts.yml'), 'utf8').match(
    /^\s*- alert:/gm,
  )?.length;
  const migrations = readdirSync(join(root, 'migrations')).filter((f) =>
    /^[VR]\w*__\w+\.sql$/.test(f),
  ).length;
  const metricsSource = readFileSync(join(root, 'src/observability/metrics.ts'), 'utf8');
  const declared = (type: string) => metricsSource.match(new RegExp(`new ${type}\\b`, 'g'))?.length ?? 0;
  const metrics = ['Counter', 'Gauge', 'Histogram'].map(declared);
  // The plan's "12 services déjà configurés" block, one ✅ line each.
  const planServices =
    plan === null
      ? 12
      : (plan.split(/services déjà configurés/)[1]?.split('```')[0] ?? '').match(/^✅/gm)?.length;
  const giveUp = (h: HealthCheck | undefined) =>
    h ? seconds(h.start_period) + h.retries * seconds(h.interval) : Number.NaN;
  const postgres = compose.services.postgres.healthcheck;
  const reserved = services.reduce((sum, s) => sum + gib(s.deploy?.resources?.reservations?.memory), 0);
  const limited = services.reduce((sum, s) => sum + gib(s.deploy?.resources?.limits?.memory), 0);
  const logging = compose['x-logging'].options;
  const range = (values: number[]) => [Math.min(...values), Math.max(...values)];
  const inRange = (what: string, stated: string[], values: number[]) => {
    const [low, high] = range(values);
    return rounds(stated[0], low) && rounds(stated[1], high)
      ? null
      : `${what} ${stated.join('–')} s stated, the table gives ${low}–${high} s`;
  };
  const table = coldStarts(readFileSync(join(root, english), 'utf8'));

  const claims: Claim[] = [
    {
      what: 'the number of alerts',
      en: /(\d+) alerts\b/g,
      fr: /(\d+) alertes\b/g,
      check: ([n]) =>
        Number(n) === alerts ? null : `${n} alerts stated, deploy/prometheus/rules/alerts.yml has ${alerts}`,
    },
    {
      what: 'the number of compose services',
      en: /(\d+) (?:services )?across all (?:its )?profiles/g,
      fr: /(\d+) (?:services )?sur l'ensemble (?:de ses|des) profils/g,
      check: ([n]) =>
        Number(n) === services.length
          ? null
          : `${n} services stated, deploy/compose/docker-compose.yml has ${services.length}`,
    },
    {
      what: 'the number of migration scripts',
      en: /(\d+) scripts, \d+ topics/g,
      fr: /(\d+) scripts, \d+ topics/g,
      check: ([n]) =>
        Number(n) === migrations ? null : `${n} scripts stated, migrations/ has ${migrations}`,
    },
    {
      what: 'the number of topics',
      en: /\d+ scripts, (\d+) topics/g,
      fr: /\d+ scripts, (\d+) topics/g,
      check: ([n]) =>
        Number(n) === Object.keys(topics).length
          ? null
          : `${n} topics stated, src/bus/port.ts has ${Object.keys(topics).length}`,
    },
    {
      what: 'the number of counters, gauges and histograms',
      en: /\((\d+), (\d+) and (\d+) declared/g,
      fr: /\((\d+), (\d+) et (\d+) déclarés/g,
      check: (n) =>
        n.join() === metrics.join()
          ? null
          : `${n.join(', ')} stated, src/observability/metrics.ts declares ${metrics.join(', ')}`,
    },
    {
      what: "the number of the plan's services",
      en: /(?:plan lists (\d+) services|\| (\d+) services \|)/g,
      fr: /(?:plan liste (\d+) services|\| (\d+) services \|)/g,
      check: (n) => {
        const stated = n.find((v) => v !== undefined);
        return Number(stated) === planServices ? null : `${stated} stated, the plan lists ${planServices}`;
      },
    },
    {
      what: "PostgreSQL's time to be given up on",
      en: /(\d+) \+ (\d+) × (\d+) = (\d+) s/g,
      fr: /(\d+) \+ (\d+) × (\d+) = (\d+) s/g,
      check: (n) => {
        const actual = postgres
          ? [seconds(postgres.start_period), postgres.retries, seconds(postgres.interval), giveUp(postgres)]
          : [];
        return n.join() === actual.join()
          ? null
          : `${n[0]} + ${n[1]} × ${n[2]} = ${n[3]} stated, postgres's health check gives ${actual[0]} + ${actual[1]} × ${actual[2]} = ${actual[3]}`;
      },
    },
    {
      what: "TimescaleDB's time to be given up on",
      en: /TimescaleDB about (\d+) s/g,
      fr: /TimescaleDB environ (\d+) s/g,
      check: ([n]) => {
        const actual = giveUp(compose.services.timescaledb.healthcheck);
        return Number(n) === actual ? null : `${n} s stated, timescaledb's health check gives ${actual} s`;
      },
    },
    {
      what: 'start_period against the slowest first start',
      en: /(about|at least|more than) (twice|two times|three times) the slowest first start measured \((\S+) s against (\S+) s\)/g,
      fr: /(environ|au moins|plus de) (deux|trois) fois le premier démarrage le plus lent mesuré \((\S+) s contre (\S+) s\)/g,
      check: ([qualifier, times, period, worst]) => {
        const factor = /^(?:twice|two|deux)/.test(times) ? 2 : 3;
        const actualPeriod = postgres ? seconds(postgres.start_period) : Number.NaN;
        const actualWorst = Math.max(...table.map((r) => r.total));
        const ratio = actualPeriod / actualWorst;
        const holds = /^(?:about|environ)$/.test(qualifier)
          ? Math.abs(ratio / factor - 1) <= 0.1
          : /^(?:at least|au moins)$/.test(qualifier)
            ? ratio >= factor
            : ratio > factor;
        if (Number(period) !== actualPeriod || Number(worst) !== actualWorst)
          return `${period} s against ${worst} s stated, start_period is ${actualPeriod} s and the slowest first start ${actualWorst} s`;
        return holds
          ? null
          : `"${qualifier} ${times}" stated, but ${period} s / ${worst} s = ${ratio.toFixed(2)}`;
      },
    },
    {
      what: 'the memory the stack reserves and is limited to',
      en: /reserves about (\S+) GiB and is limited to about (\S+) GiB/g,
      fr: /réserve environ (\S+) Gio et est limitée à environ (\S+) Gio/g,
      check: ([r, l]) =>
        Math.abs(Number(r) / reserved - 1) <= 0.02 && Math.abs(Number(l) / limited - 1) <= 0.02
          ? null
          : `${r} and ${l} GiB stated, deploy.resources of the compose services sum to ${reserved.toFixed(2)} and ${limited.toFixed(2)} GiB`,
    },
    {
      what: 'the log rotation',
      en: /(\d+) × (\d+) MB per container/g,
      fr: /(\d+) × (\d+) Mo par conteneur/g,
      check: ([files, size]) =>
        `${files} ${size}m` === `${logging['max-file']} ${logging['max-size']}`
          ? null
          : `${files} × ${size} MB stated, x-logging has max-file ${logging['max-file']}, max-size ${logging['max-size']}`,
    },
    {
      what: 'the range of first starts',
      en: /nothing to a query in (\S+)–(\S+) s on a quiet machine, and in (\S+)–(\S+) s/g,
      fr: /rien à une requête en (\S+)–(\S+) s sur une machine calme, et en (\S+)–(\S+) s/g,
      check: (n) =>
        inRange(
          'quiet',
          n.slice(0, 2),
          table.filter((r) => r.quiet).map((r) => r.total),
        ) ??
        inRange(
          'loaded',
          n.slice(2),
          table.filter((r) => !r.quiet).map((r) => r.total),
        ),
    },
    {
      what: 'the range of initdb',
      en: /`initdb` \((\S+)–(\S+) s\)/g,
      fr: /`initdb` \((\S+)–(\S+) s\)/g,
      check: (n) =>
        inRange(
          'initdb',
          n,
          table.map((r) => r.initdb),
        ),
    },
    {
      what: 'the range of the init-scripts server',
      en: /init-scripts server \((\S+)–(\S+) s\)/g,
      fr: /serveur des scripts d'init \((\S+)–(\S+) s\)/g,
      check: (n) =>
        inRange(
          'init-scripts server',
          n,
          table.map((r) => r.init),
        ),
    },
    {
      what: 'the range of restarts',
      en: /first query in (\S+)–(\S+) s on a quiet machine, and in (\S+)–(\S+) s/g,
      fr: /première requête en (\S+)–(\S+) s sur une machine calme, et en (\S+)–(\S+) s/g,
      check: (n) =>
        inRange(
          'quiet',
          n.slice(0, 2),
          table.filter((r) => r.quiet).map((r) => r.restart),
        ) ??
        inRange(
          'loaded',
          n.slice(2),
          table.filter((r) => !r.quiet).map((r) => r.restart),
        ),
    },
  ];

  it('reads the sources they are checked against', () => {
    expect(services.length, 'compose services').toBeGreaterThan(10);
    expect(alerts, 'alerts in alerts.yml').toBeGreaterThan(10);
    expect(
      metrics.every((n) => n > 0),
      `metrics declared: ${metrics.join(', ')}`,
    ).toBe(true);
    expect(table.length, `rows of the cold-start table in ${english}`).toBe(5);
  });

  it("adds up the cold-start table: initdb, init-scripts server and TCP server make each run's total", () => {
    const wrong = documents.flatMap((document) =>
      coldStarts(readFileSync(join(root, document), 'utf8'))
        .filter((r) => Math.abs(r.initdb + r.init + r.tcp - r.total) > 0.02)
        .map(
          (r) => `${document}:${r.line}: ${r.initdb} + ${r.init} + ${r.tcp} s is not the total ${r.total} s`,
        ),
    );
    expect(wrong).toEqual([]);
  });

  it.each(documents)('states them as the sources give them, in %s', (document) => {
    const content = readFileSync(join(root, document), 'utf8');
    const text = content.replace(/\n/g, ' ');
    const lineAt = (offset: number) => content.slice(0, offset).split('\n').length;
    const problems = claims.flatMap((claim) => {
      const pattern = document === english ? claim.en : claim.fr;
      const found = [...text.matchAll(pattern)];
      if (found.length === 0) return [`${document}: states nowhere ${claim.what} (looked for ${pattern})`];
      return found.flatMap((m) => {
        const problem = claim.check(m.slice(1).map((v) => (/^\d/.test(v ?? '') ? normalise(v) : v)));
        return problem ? [`${document}:${lineAt(m.index ?? 0)}: ${claim.what}: ${problem}`] : [];
      });
    });
    expect(problems).toEqual([]);
  });
});
