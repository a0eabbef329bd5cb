import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { topics } from '../src/bus/port.ts';
import { documents, english, french, plan } from './helpers/devops-path.ts';
import {
  coldStarts,
  extraFigures,
  gib,
  normalise,
  rounds,
  type Section,
  seconds,
  sectionsOf,
} from './helpers/doc-figures.ts';
import { root } from './helpers/doc-mentions.ts';

/**
 * Keeps the figures of docs/devops-path.md and its French version honest: both write the same numbers
 * section by section, and the counts, sums and ratios they state match the files they are counted from.
 */

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

/** A claim written in both documents, with the numbers it states and how to check them. */
interface Claim {
  /** What is stated, for messages. */
  what: string;
  en: RegExp;
  fr: RegExp;
  /** The problem with the numbers stated (normalised), or null when they are right. */
  check: (stated: string[]) => string | null;
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
