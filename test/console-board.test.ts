/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { type Client, client, startApp } from './helpers/app.ts';
import { axeViolations, launchChromium, signedIn } from './helpers/console.ts';
import { chromiumAvailable } from './helpers/infra.ts';

const browserReady = await chromiumAvailable();

const asset = (id: string, siteId: string, lineId: string) => ({
  siteId,
  lineId,
  name: `Fan ${id}`,
  kind: 'fan',
  sensors: [
    { id: `${id}.temp`, kind: 'temperature', unit: '°C', sampleRateHz: 1, validMin: -50, validMax: 200 },
    { id: `${id}.vib`, kind: 'vibration', unit: 'g', sampleRateHz: 5120, validMin: -50, validMax: 50 },
  ],
});

describe.runIf(browserReady.available)(
  'the work-order board filters, and silent sensors, in headless Chromium',
  () => {
    let app: MantisApp;
    let admin: Client;
    let browser: Browser;

    beforeAll(async () => {
      // A sensor silent for 1 s is stale: these sensors never send, or sent once.
      app = await startApp({ 'pipeline.sensorStaleSeconds': 1 });
      admin = client(app);
      for (const [id, site, line] of [
        ['bf-a', 'north', 'north-1'],
        ['bf-a2', 'north', 'north-1'],
        ['bf-b', 'north', 'north-2'],
        ['bf-c', 'south', 'south-1'],
        ['bf-c2', 'south', 'south-1'],
      ]) {
        const put = await admin.request('PUT', `/v1/assets/${id}`, asset(id, site, line));
        expect(put.status, await put.clone().text()).toBe(200);
      }
      expect(
        (await admin.request('POST', '/v1/readings', [{ sensorId: 'bf-c.temp', ts: Date.now(), value: 20 }]))
          .status,
      ).toBe(202);
      for (const [assetId, priority] of [
        // One order opened by hand per asset: a second one for the same asset is refused (409).
        ['bf-a', 'urgent'],
        ['bf-a2', 'low'],
        ['bf-b', 'high'],
        ['bf-c', 'urgent'],
        ['bf-c2', 'medium'],
      ]) {
        const created = await admin.request('POST', '/v1/work-orders', {
          assetId,
          title: `${priority} on ${assetId}`,
          priority,
        });
        expect(created.status).toBe(201);
      }
      const { items } = await admin.json<{ items: { id: string; title: string }[] }>('/v1/work-orders');
      const first = items.find((o) => o.title === 'urgent on bf-a');
      const moved = await admin.request('POST', `/v1/work-orders/${first?.id}/transitions`, {
        to: 'assigned',
        assignee: 'dana',
      });
      expect(moved.status).toBe(200);
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await app?.stop();
    });

    /** The ids on the board, and the API's answer to the same filters. */
    async function shownAndListed(page: Page, query: string) {
      const listed = (await admin.json<{ items: { id: string }[] }>(`/v1/work-orders?${query}`)).items.map(
        (o) => o.id,
      );
      await page.waitForFunction(
        (n) => document.querySelectorAll('#board [data-order]').length === n,
        listed.length,
      );
      const shown = await page.$$eval('#board [data-order]', (cards) =>
        cards.map((c) => c.getAttribute('data-order')),
      );
      return { shown: shown.sort(), listed: listed.sort() };
    }

    it('filters the board by site, line, priority and state, as the API does', async () => {
      const { page, errors } = await signedIn(browser, app, app.token);
      await page.goto(`${app.url}/console/#/work-orders`);
      await page.waitForSelector('#board [data-order]');
      expect(await page.locator('#board [data-order]').count()).toBe(5);
      // Every control is labelled and the page passes axe's WCAG 2 A/AA rules with the filters.
      expect(await axeViolations(page)).toEqual([]);

      await page.selectOption('#board-filters select[name=site]', 'north');
      let result = await shownAndListed(page, 'site=north');
      expect(result.shown).toEqual(result.listed);
      expect(result.shown).toHaveLength(3);
      // Only the lines of the chosen site are offered.
      const lines = await page.$$eval('#board-filters select[name=line] option', (o) =>
        o.map((x) => (x as HTMLOptionElement).value),
      );
      expect(lines).toEqual(['', 'north-1', 'north-2']);
      await page.selectOption('#board-filters select[name=line]', 'north-1');
      result = await shownAndListed(page, 'site=north&line=north-1');
      expect(result.shown).toEqual(result.listed);
      expect(result.shown).toHaveLength(2);
      await page.selectOption('#board-filters select[name=priority]', 'urgent');
      result = await shownAndListed(page, 'site=north&line=north-1&priority=urgent');
      expect(result.shown).toHaveLength(1);
      // The state filter shows that state's column only.
      await page.selectOption('#board-filters select[name=status]', 'open');
      result = await shownAndListed(page, 'site=north&line=north-1&priority=urgent&status=open');
      expect(result.shown).toEqual([]);
      expect(
        await page.$$eval('#board [data-column]', (c) => c.map((x) => x.getAttribute('data-column'))),
      ).toEqual(['open']);
      await page.selectOption('#board-filters select[name=status]', 'assigned');
      result = await shownAndListed(page, 'site=north&line=north-1&priority=urgent&status=assigned');
      expect(result.shown).toHaveLength(1);
      const card = page.locator('#board [data-order]');
      expect(await card.locator('strong').first().textContent()).toBe('urgent on bf-a');
      // Opened by hand: no alert to show; the card names its site and line, and links to its asset.
      expect(await card.locator('[data-by-hand]').textContent()).toBe('Opened by hand');
      expect(await card.locator('.muted').first().textContent()).toContain('bf-a · north · north-1 · ');
      await card.locator('a[href="#/asset/bf-a"]').focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#charts [data-sensor="bf-a.temp"]');
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    it('shows silent sensors as stale, and "no data in this range" where a chart has nothing', async () => {
      const { page, errors } = await signedIn(browser, app, app.token);
      type Listed = {
        id: string;
        stale: boolean;
        lastReadingAt: string | null;
        sensors: { id: string; stale: boolean }[];
      };
      // Stale a second after registration (pipeline.sensorStaleSeconds 1): wait until the API says so.
      await expect
        .poll(async () => (await admin.json<{ items: Listed[] }>('/v1/assets')).items.every((a) => a.stale), {
          timeout: 10_000,
        })
        .toBe(true);
      const a = page.locator('[data-asset="bf-a"]');
      await a.locator('[data-stale]').waitFor({ timeout: 10_000 });
      expect(await a.locator('[data-stale]').textContent()).toBe('Stale: 2 silent sensors');
      expect(await a.locator('[data-last-reading]').textContent()).toBe('no reading yet');
      const listed = (await admin.json<{ items: Listed[] }>('/v1/assets')).items.find((x) => x.id === 'bf-c');
      expect(
        await page.locator('[data-asset="bf-c"] [data-last-reading]').getAttribute('data-last-reading'),
      ).toBe(listed?.lastReadingAt);
      expect(await page.textContent('#fleet-summary')).toBe('5 assets · 0 active alerts · 5 stale');

      await page.goto(`${app.url}/console/#/asset/bf-a`);
      await page.waitForSelector('#charts [data-sensor="bf-a.vib"] [data-empty]');
      const empty = (sensor: string) =>
        page.$$eval(`#charts [data-sensor="${sensor}"] figure`, (figures) =>
          figures.map((f) => [
            f.getAttribute('data-chart'),
            f.querySelector('[data-empty]')?.textContent ?? null,
          ]),
        );
      expect(await empty('bf-a.temp')).toEqual([
        ['health', 'no data in this range'],
        ['mean', 'no data in this range'],
      ]);
      expect(await empty('bf-a.vib')).toEqual(
        ['health', 'shape', 'bands', 'rms'].map((kind) => [kind, 'no data in this range']),
      );
      expect(await page.locator('#charts .uplot').count()).toBe(0);
      expect(await page.textContent('[data-spectrum="bf-a.vib"] [data-empty]')).toBe(
        'no spectrum: no sample block yet',
      );
      expect(await page.textContent('#asset-status [data-stale]')).toBe('Stale: silent bf-a.temp, bf-a.vib');
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  },
);
