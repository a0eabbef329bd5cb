import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a Markdown document of the repository names: links and their anchors, repository paths in code,
 * npm scripts, `mantis` commands and options, test files run with vitest, and scripts it invokes.
 */

/** The repository root; documents and the paths they name are relative to it. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Top-level folders and files of the repository whose names start a repository path in code. */
const pathPattern =
  /(?<![\w./$-])((?:\.ci|\.github|bench|bin|dashboards|deploy|docs|migrations|scripts|src|test|web)\/[\w.@*/-]*|Dockerfile|package\.json|README\.md|vitest\.config\.ts|tsconfig\.json|biome\.json|\.dockerignore)(?![\w./-])/g;
/** A file named relative to a folder a command line has `cd`-ed into. */
const relativeFilePattern = /^[\w.-]+(?:\/[\w.-]+)*\.(?:ya?ml|json|sh|ts|sql|conf|tmpl)$/;

export type Kind = 'path' | 'anchor' | 'npm' | 'mantis' | 'option' | 'vitest' | 'script';
export interface Mention {
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
export function mentionsOf(
  document: string,
  content = readFileSync(join(root, document), 'utf8'),
): Mention[] {
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
export function pathExists(path: string): boolean {
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
export function anchorsOf(file: string): Set<string> {
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
