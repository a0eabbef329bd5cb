/// <reference lib="dom" />
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { upsertFeatures } from '../src/storage/postgres/timeseries.ts';
import { bodyOf, client, startApp } from './helpers/app.ts';
import { windowFeatures } from './helpers/features.ts';
import { CHROMIUM, chromiumAvailable } from './helpers/infra.ts';

const MINUTE = 60_000;
/** Health of minute m: anomaly score 3.5·exp(m/40), health 100·exp(−(z − 3)/6). */
const healthAt = (m: number) => 100 * Math.exp(-(3.5 * Math.exp(m / 40) - 3) / 6);
const browserReady = await chromiumAvailable();

const asset = (id: string) => ({
  siteId: 'rul',
  lineId: 'rul-1',
  name: `Pump ${id}`,
  kind: 'pump',
  sensors: [
    { id: `${id}.temp`, kind: 'temperature', unit: '°C', sampleRateHz: 1, validMin: -50, validMax: 200 },
  ],
});

describe.runIf(browserReady.available)("the asset page's remaining useful life, in headless Chromium", () => {
  let app: MantisApp;
  let browser: Browser;
  const start = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;

  beforeAll(async () => {
    app = await startApp();
    const api = client(app);
    for (const id of ['rulc1', 'rulc2']) {
      expect((await api.request('PUT', `/v1/assets/${id}`, asset(id))).status).toBe(200);
    }
    const db = app.services.db;
    if (!db) throw new Error('the app has no database');
    await upsertFeatures(
      db,
      Array.from({ length: 30 }, (_, m) => [
        windowFeatures('rulc1.temp', start + m * MINUTE, { health: healthAt(m) }),
        windowFeatures('rulc2.temp', start + m * MINUTE, { health: 100 }),
      ]).flat(),
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function open(assetId: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${app.url}/`);
    await page.fill('input[name=key]', app.token);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#fleet [data-asset]');
    await page.goto(`${app.url}/#asset/${assetId}`);
    await page.waitForSelector('#rul');
    return { page, errors };
  }

  it('shows the hours left to each line with the interval, and draws the fitted points and trend', async () => {
    const { remainingUsefulLife: rul } = await bodyOf(await client(app).request('GET', '/v1/assets/rulc1'));
    expect(rul.status).toBe('estimated');
    const { page, errors } = await open('rulc1');
    expect(await page.getAttribute('#rul', 'data-status')).toBe('estimated');
    // 22 minutes left to health 20 (dom.js `duration` rounds to the minute below an hour).
    const failure = await page.textContent('#rul [data-line=failure]');
    const minutes = (hours: number) => `${Math.round(hours * 60)} min`;
    expect(failure).toContain(`Failure line (health 20): in ${minutes(rul.failure.hoursLeft)}`);
    expect(failure).toContain(`(${minutes(rul.failure.low)} – ${minutes(rul.failure.high)})`);
    expect(await page.textContent('#rul [data-line=alert]')).toContain(
      `Alert line (health 40): in ${minutes(rul.alert.hoursLeft)}`,
    );
    expect(await page.textContent('#rul .muted')).toContain('fitted on 30 points');
    await page.waitForSelector('#rul .uplot canvas');
    const inked = await page.$eval('#rul .uplot canvas', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(100);
    // Legend: the four series beside time.
    const legend = await page.$$eval('#rul .u-legend .u-label', (els) => els.map((e) => e.textContent));
    expect(legend).toEqual(expect.arrayContaining(['health', 'trend', 'alert line', 'failure line']));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('says plainly why there is no estimate for a steady asset', async () => {
    const { page, errors } = await open('rulc2');
    expect(await page.getAttribute('#rul', 'data-status')).toBe('not-degrading');
    expect(await page.textContent('#rul [data-reason]')).toBe(
      'No estimate on rulc2.temp: health is at 100: no deviation from the baseline.',
    );
    expect(await page.$('#rul [data-line]')).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
