/// <reference lib="dom" />
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/console.ts';
import { chromiumAvailable } from './helpers/infra.ts';

const ROOT = join(import.meta.dirname, '..');

/** Every Markdown file of the README and docs/, and each of its ```mermaid blocks. */
function mermaidBlocks(): { file: string; source: string }[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files.flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^```mermaid\n([\s\S]*?)^```/gm)].map((m) => ({
      file: relative(ROOT, join(ROOT, file)),
      source: m[1],
    })),
  );
}

const browserReady = await chromiumAvailable();

// GitHub draws ```mermaid blocks with Mermaid: the same library, in a browser, must draw each one.
describe.runIf(browserReady.available)('the diagrams in the documentation', () => {
  let browser: Browser;
  const blocks = mermaidBlocks();

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('include the architecture in the README', () => {
    const readme = blocks.filter((b) => b.file === 'README.md');
    expect(readme).toHaveLength(1);
    for (const target of ['ingest', 'process', 'api', 'etl'])
      expect(readme[0].source).toContain(`${target}[`);
  });

  it.each(blocks.map((b, i) => [`${b.file} #${i}`, b] as const))(
    '%s is drawn by Mermaid',
    async (_, block) => {
      const page = await browser.newPage();
      try {
        await page.setContent('<!doctype html><html><body></body></html>');
        await page.addScriptTag({
          path: createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'),
        });
        const drawn = await page.evaluate(async (source) => {
          const { mermaid } = window as unknown as {
            mermaid: {
              initialize(o: object): void;
              render(id: string, text: string): Promise<{ svg: string }>;
            };
          };
          mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
          try {
            return { svg: (await mermaid.render('diagram', source)).svg };
          } catch (err) {
            return { error: String((err as Error).message ?? err) };
          }
        }, block.source);
        expect(drawn).not.toHaveProperty('error');
        expect(drawn.svg).toMatch(/^<svg/);
        // Every node label is in the drawing.
        for (const [, label] of block.source.matchAll(/\["([^"<]+)/g)) expect(drawn.svg).toContain(label);
      } finally {
        await page.close();
      }
    },
  );
});
