/**
 * The numbers a document writes, as English and French write them, section by section, and the
 * Docker Compose values and the cold-start table its stated figures are checked against.
 */

/** A number of a document, normalised: `4,29` and `4.29` are `4.29`, `5 000` is `5000`, `01` is `1`. */
export interface Figure {
  value: string;
  line: number;
}
/** A section: a heading and the lines up to the next one. */
export interface Section {
  heading: string;
  line: number;
  end: number;
  figures: Figure[];
}

/** A number in prose or code; groups of three digits after a (thin, non-breaking) space join it. */
const numberPattern = /(?<![\d.,])\d{1,3}(?:[ \u00A0\u202F\u2009]\d{3})+(?![\d.,]\d)|\d+(?:[.,]\d+)*/g;

/** Normalises a number as written in English or French to one spelling. */
export function normalise(written: string): string {
  const joined = written.replace(/[ \u00A0\u202F\u2009]/g, '');
  const decimal = /^\d+,\d+$/.test(joined) ? joined.replace(',', '.') : joined;
  return /^\d+(?:\.\d+)?$/.test(decimal) ? String(Number(decimal)) : decimal;
}

/**
 * A document's sections (headings outside fenced code), each with the numbers it writes. Link targets
 * are left out: an anchor is spelt in the document's language.
 */
export function sectionsOf(content: string): Section[] {
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
export function extraFigures(mine: Figure[], theirs: Figure[]): Figure[] {
  const left = new Map<string, number>();
  for (const f of theirs) left.set(f.value, (left.get(f.value) ?? 0) + 1);
  return mine.filter((f) => {
    const n = left.get(f.value) ?? 0;
    left.set(f.value, n - 1);
    return n <= 0;
  });
}

/** Whether a stated number is `actual` rounded to as many decimals as it is written with. */
export function rounds(stated: string, actual: number): boolean {
  const decimals = stated.split('.')[1]?.length ?? 0;
  return Number(actual.toFixed(decimals)) === Number(stated);
}

/** Memory as Docker Compose writes it (`512M`, `2G`, binary units) in GiB; throws on any other spelling. */
export function gib(memory: unknown): number {
  const m = /^(\d+(?:\.\d+)?)([bkmg])?$/i.exec(String(memory ?? '0'));
  if (!m) throw new Error(`memory "${memory}" is not a Docker Compose byte value`);
  return Number(m[1]) / 1024 ** (3 - 'bkmg'.indexOf((m[2] ?? 'b').toLowerCase()));
}

/** Seconds of a Docker Compose duration written in whole seconds (`20s`); throws on any other spelling. */
export function seconds(duration: unknown): number {
  const m = /^(\d+)s$/.exec(String(duration));
  if (!m) throw new Error(`duration "${duration}" is not in whole seconds`);
  return Number(m[1]);
}

/**
 * The rows of the table "a fresh PostgreSQL, from nothing to a query": each step in seconds, the line, and
 * whether the run was quiet (load average under 5: the quiet runs had 1.8–3.5, the loaded ones 11–14).
 */
export function coldStarts(content: string) {
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
