/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { runSimulator } from '../src/simulator/driver.ts';
import { alignedStart, bodyOf, client, startApp } from './helpers/app.ts';
import { CHROMIUM, chromiumAvailable } from './helpers/infra.ts';

const SHOTS = '.test-results/console';
const browserReady = await chromiumAvailable();

describe.runIf(browserReady.available)('the console in headless Chromium', () => {
  let app: MantisApp;
  let browser: Browser;
  const keys: Record<'viewer' | 'technician', { token: string; id: string }> = {
    viewer: { token: '', id: '' },
    technician: { token: '', id: '' },
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startApp();
    await runSimulator({
      url: app.url,
      token: app.token,
      startTs: alignedStart(100),
      speed: 0,
      durationSeconds: 90,
    });
    const admin = client(app);
    for (const role of ['viewer', 'technician'] as const) {
      const body = await bodyOf(await admin.request('POST', '/v1/keys', { name: role, role }));
      keys[role] = { token: body.token, id: body.key.id };
    }
    // Wait until every asset has features, so that the charts have something to draw.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const { items } = await admin.json<{ items: { health: number | null }[] }>('/v1/assets');
      if (items.length === 8 && items.every((a) => a.health !== null)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function signIn(role: 'viewer' | 'technician'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${app.url}/`);
    await page.fill('input[name=key]', keys[role].token);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#fleet [data-asset]');
    expect(await page.textContent('#who')).toBe(`${role} (${keys[role].id}) · ${role}`);
    // The page reports no script error at any point of a test.
    afterChecks.push(() => expect(errors).toEqual([]));
    return page;
  }
  const afterChecks: (() => void)[] = [];

  it('shows the fleet, worst health first, to a viewer', async () => {
    const page = await signIn('viewer');
    const shown = await page.$$eval('#fleet [data-asset]', (cards) =>
      cards.map((c) => c.getAttribute('data-asset')),
    );
    const { items } = await client(app).json<{ items: { id: string }[] }>('/v1/assets?sort=health');
    expect(shown).toEqual(items.map((a) => a.id));
    expect(shown).toHaveLength(8);
    await page.screenshot({ path: `${SHOTS}/fleet.png`, fullPage: true });
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it("draws an asset's feature charts and raw signal", async () => {
    const page = await signIn('viewer');
    await page.click('[data-asset="pump-1"]');
    const asset = await client(app).json<{ sensors: unknown[] }>('/v1/assets/pump-1');
    await page.waitForFunction(
      (n) => document.querySelectorAll('#charts .uplot canvas').length === n,
      asset.sensors.length,
    );
    await page.waitForFunction(
      (n) => document.querySelectorAll('#signal .uplot canvas').length === n,
      asset.sensors.length,
    );
    // uPlot draws paths onto the canvas: some pixels are not blank.
    const inked = await page.$eval('#charts .uplot canvas', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(100);
    await page.selectOption('#range', '6h');
    await page.waitForFunction(() => document.querySelector('#charts strong')?.textContent?.endsWith('6h'));
    await page.screenshot({ path: `${SHOTS}/asset.png`, fullPage: true });
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it('lets a technician create, assign, start and close a work order', async () => {
    const page = await signIn('technician');
    await page.goto(`${app.url}/console/#/work-orders`);
    await page.waitForSelector('#new-order');
    await page.selectOption('#new-order select[name=assetId]', 'fan-1');
    await page.fill('#new-order input[name=title]', 'Replace the belt');
    await page.selectOption('#new-order select[name=priority]', 'high');
    await page.click('#new-order button[type=submit]');
    const card = (column: string) =>
      page.locator(`[data-column="${column}"] article`, { hasText: 'Replace the belt' });
    await card('open').waitFor();
    await page.screenshot({ path: `${SHOTS}/board-open.png`, fullPage: true });
    await card('open').locator('input[data-assignee]').fill('dana');
    await card('open').locator('button[data-move=assigned]').click();
    await card('assigned').waitFor();
    await card('assigned').locator('button[data-move=in_progress]').click();
    await card('in_progress').waitFor();
    await card('in_progress').locator('button[data-move=done]').click();
    await card('done').waitFor();
    await page.screenshot({ path: `${SHOTS}/board-done.png`, fullPage: true });
    const id = await card('done').getAttribute('data-order');
    const order = await client(app).json<{
      status: string;
      assignee: string;
      events: { to: string; actor: string }[];
    }>(`/v1/work-orders/${id}`);
    expect(order).toMatchObject({ status: 'done', assignee: 'dana' });
    expect(order.events.map((e) => [e.to, e.actor])).toEqual(
      ['open', 'assigned', 'in_progress', 'done'].map((to) => [to, `technician (${keys.technician.id})`]),
    );
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it('keeps a viewer read-only: no form, no buttons, and the API refuses a forged write', async () => {
    const page = await signIn('viewer');
    await page.goto(`${app.url}/console/#/work-orders`);
    await page.waitForSelector('#read-only');
    await page.waitForSelector('[data-column="done"] article');
    expect(await page.locator('#new-order').count()).toBe(0);
    expect(await page.locator('button[data-move]').count()).toBe(0);
    const forged = await page.request.post(`${app.url}/v1/work-orders`, {
      headers: { authorization: `Bearer ${keys.viewer.token}` },
      data: { assetId: 'fan-1', title: 'x', priority: 'low' },
    });
    expect(forged.status()).toBe(403);
    await page.screenshot({ path: `${SHOTS}/board-viewer.png`, fullPage: true });
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it('shows the KPIs of a line with charts over time', async () => {
    const H = 3_600_000;
    const start = Date.now() - 2 * 24 * H;
    const admin = client(app);
    await admin.request('PATCH', '/v1/assets/pump-1', { idealCycleSeconds: 30 });
    await admin.request('POST', '/v1/downtime', {
      assetId: 'pump-1',
      kind: 'unplanned',
      reason: 'seal',
      start,
      end: start + H,
    });
    await admin.request('POST', '/v1/production', [
      { assetId: 'pump-1', ts: start + 2 * H, produced: 1000, good: 990 },
    ]);
    const page = await signIn('technician');
    await page.goto(`${app.url}/console/#/kpis`);
    await page.selectOption('#scope', 'asset=pump-1');
    await page.waitForFunction(
      () => document.querySelector('[data-kpi="mttr"] .value')?.textContent === '1.0 h',
    );
    expect(await page.textContent('[data-kpi="failures"] .value')).toBe('1');
    expect(await page.locator('#kpi-charts .uplot').count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}/kpis.png`, fullPage: true });
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it('turns away a key that is not valid', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/console/`);
    await page.fill('input[name=key]', 'mnt_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(
      () => document.querySelector('#login-error')?.textContent === 'That key is not valid.',
    );
    const headers = (await page.request.get(`${app.url}/console/`)).headers();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    await page.close();
  }, 60_000);
});
