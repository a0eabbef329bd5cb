/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import {
  axeViolations,
  DESKTOP,
  horizontalOverflow,
  launchChromium,
  signedIn,
  simulatedPlant,
  TABLET,
  withinWidth,
} from './helpers/console.ts';
import { chromiumAvailable } from './helpers/infra.ts';

const SHOTS = '.test-results/console';
const IMAGES = 'docs/images';
const browserReady = await chromiumAvailable();

/** Each page: where it is, what must be on it once drawn, and the elements that must fit the width. */
const PAGES = [
  {
    name: 'fleet',
    hash: 'fleet',
    ready: '#fleet [data-asset="pump-2"] [data-zone]',
    fit: ['#fleet', 'header'],
  },
  {
    name: 'asset',
    hash: 'asset/pump-2',
    ready: '#charts [data-sensor="pump-2.vib"] [data-chart="bands"] .uplot canvas',
    fit: [
      '#charts [data-sensor="pump-2.vib"] [data-chart="health"] .uplot',
      '[data-spectrum="pump-2.vib"] .uplot',
      '#machine',
    ],
  },
  {
    name: 'work-orders',
    hash: 'work-orders',
    ready: '#board [data-alert-of]',
    fit: ['#board', '#board-filters'],
  },
] as const;

describe.runIf(browserReady.available)(
  'the console at desktop and tablet widths, in headless Chromium',
  () => {
    let app: MantisApp;
    let browser: Browser;
    let keys: Awaited<ReturnType<typeof simulatedPlant>>['keys'];

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      mkdirSync(IMAGES, { recursive: true });
      ({ app, keys } = await simulatedPlant());
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await app?.stop();
    });

    async function open(
      hash: string,
      ready: string,
      viewport: typeof DESKTOP,
    ): Promise<{ page: Page; errors: string[] }> {
      const opened = await signedIn(browser, app, keys.technician.token, viewport);
      await opened.page.goto(`${app.url}/console/#/${hash}`);
      await opened.page.waitForSelector(ready);
      return opened;
    }

    for (const [width, viewport] of [
      ['desktop', DESKTOP],
      ['tablet', TABLET],
    ] as const) {
      for (const p of PAGES) {
        it(`${p.name} at ${width} width (${viewport.width} px): no WCAG 2 A/AA violation, no sideways scroll`, async () => {
          const { page, errors } = await open(p.hash, p.ready, viewport);
          expect(await axeViolations(page)).toEqual([]);
          expect(await horizontalOverflow(page)).toBe(0);
          for (const selector of p.fit) expect(await withinWidth(page, selector), selector).toBe(true);
          await page.screenshot({ path: `${SHOTS}/${p.name}-${width}.png`, fullPage: true });
          if (width === 'desktop' && p.name !== 'asset') {
            await page.screenshot({ path: `${IMAGES}/console-${p.name}.png` });
          }
          if (width === 'desktop' && p.name === 'asset') {
            // The features with the alert's evidence: from the Features heading down.
            const top = await page.$eval(
              '#charts',
              (el) => el.getBoundingClientRect().top + window.scrollY - 110,
            );
            const clip = { x: 0, y: top, width: DESKTOP.width, height: 1500 };
            await page.screenshot({ path: `${IMAGES}/console-asset.png`, fullPage: true, clip });
          }
          expect(errors).toEqual([]);
          await page.close();
        }, 90_000);
      }
    }

    it("resizes the charts with the window: each keeps its container's width, within the page", async () => {
      const { page, errors } = await open(PAGES[1].hash, PAGES[1].ready, DESKTOP);
      const chart = '#charts [data-sensor="pump-2.vib"] [data-chart="health"] .uplot';
      // The chart and the width of the host it is drawn in.
      const widths = () =>
        page.$eval(chart, (el) => [
          Math.round(el.getBoundingClientRect().width),
          Math.floor((el.parentElement as HTMLElement).clientWidth),
        ]);
      const [before, host] = await widths();
      expect(before).toBe(host);
      // From two columns of cards to one (768 px), then narrower still (600 px).
      for (const width of [TABLET.width, 600]) {
        const previous = (await widths())[0];
        await page.setViewportSize({ width, height: TABLET.height });
        await expect.poll(async () => (await widths())[0]).not.toBe(previous);
        const [now, hostNow] = await widths();
        expect(now).toBe(hostNow);
      }
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await withinWidth(page, chart)).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    it('is usable from the keyboard: focus is visible, and Space or Enter opens an asset card', async () => {
      const { page, errors } = await open('fleet', PAGES[0].ready, DESKTOP);
      // From the top of a freshly loaded page (the key is kept in the tab's session).
      await page.reload();
      await page.waitForSelector(PAGES[0].ready);
      // Tab order follows the page: the brand, the three pages, sign out, then the cards worst first.
      const order: string[] = [];
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        order.push(
          await page.evaluate(
            () =>
              document.activeElement?.getAttribute('data-asset') ?? document.activeElement?.textContent ?? '',
          ),
        );
      }
      expect(order).toEqual(['MANTIS', 'Fleet', 'Work orders', 'KPIs', 'Sign out', 'pump-2']);
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return [style.outlineStyle, Number.parseFloat(style.outlineWidth)];
      });
      expect(outline).toEqual(['solid', 3]);
      await page.keyboard.press('Space');
      await page.waitForSelector('#charts [data-sensor="pump-2.vib"]');
      expect(page.url()).toMatch(/#\/asset\/pump-2$/);
      await page.goBack();
      await page.waitForSelector(PAGES[0].ready);
      await page.focus('[data-asset="pump-1"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#charts [data-sensor="pump-1.vib"]');
      // The range is a labelled select, reached and changed from the keyboard.
      await page.focus('#range');
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction(() => document.querySelector('#charts strong')?.textContent?.endsWith('6h'));
      expect(
        await page.$eval('#range', (el) =>
          (el as HTMLSelectElement).labels?.[0]?.textContent?.trim().startsWith('Range'),
        ),
      ).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  },
);
