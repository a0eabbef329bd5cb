import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documents, english, plan, planExercises, planFile } from './helpers/devops-path.ts';
import { root } from './helpers/doc-mentions.ts';
import { quotes, quotesOf, titlesOf } from './helpers/test-titles.ts';

/**
 * Keeps the titles in docs/devops-path.md and its French version honest: every test title they quote is
 * a title of the test files named beside it, and every exercise of the plan has its heading in both.
 */

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
