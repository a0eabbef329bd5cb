import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './doc-mentions.ts';

/** A test title a document quotes beside the test files it names. */
export interface Quote {
  line: number;
  title: string;
  files: string[];
}

/**
 * Titles quoted ("…" or « … ») in the parentheses that follow a code span naming test files, as in
 * `npx vitest run test/a.test.ts` ("title", "title"). A leading or trailing … marks a shortened title.
 */
export function quotesOf(content: string): Quote[] {
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
export function titlesOf(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(/\b(?:describe|it|test)(?:\.\w+)*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map(
    (m) => m[2].replace(/\\(.)/g, '$1'),
  );
}

/** Whether a quoted title is a title, or a shortened one: cut after a colon or semicolon, or with …. */
export function quotes(quote: string, title: string): boolean {
  const [leading, trailing] = [quote.startsWith('…'), quote.endsWith('…')];
  const core = quote.replace(/^…|…$/g, '');
  for (let at = title.indexOf(core); at !== -1; at = title.indexOf(core, at + 1)) {
    const rest = title.slice(at + core.length);
    if ((leading || at === 0) && (trailing || rest === '' || /^[:;,]/.test(rest))) return true;
  }
  return false;
}
