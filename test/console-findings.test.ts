/// <reference lib="dom" />
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { CONFIRMED_CAUSE_CHOICES } from '../src/domain/work-orders.ts';
import { bodyOf, type Client, client, startApp } from './helpers/app.ts';
import { CHROMIUM, chromiumAvailable } from './helpers/infra.ts';

const browserReady = await chromiumAvailable();

describe.runIf(browserReady.available)('closing a work order on the console board', () => {
  let app: MantisApp;
  let admin: Client;
  let browser: Browser;
  let technician: { token: string; id: string };

  beforeAll(async () => {
    app = await startApp();
    admin = client(app);
    const put = await admin.request('PUT', '/v1/assets/fan-9', {
      siteId: 'works',
      lineId: 'line-9',
      name: 'Fan 9',
      kind: 'fan',
      sensors: [],
    });
    expect(put.status).toBeLessThan(300);
    const body = await bodyOf(await admin.request('POST', '/v1/keys', { name: 'tech', role: 'technician' }));
    technician = { token: body.token, id: body.key.id };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** An order about fan-9 moved to in progress through the API; returns its id. */
  async function inProgress(title: string): Promise<string> {
    const { id } = await bodyOf(
      await admin.request('POST', '/v1/work-orders', { assetId: 'fan-9', title, priority: 'medium' }),
    );
    const move = (body: unknown) => admin.request('POST', `/v1/work-orders/${id}/transitions`, body);
    expect((await move({ to: 'assigned', assignee: 'dana' })).status).toBe(200);
    expect((await move({ to: 'in_progress' })).status).toBe(200);
    return id;
  }

  async function board(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${app.url}/`);
    await page.fill('input[name=key]', technician.token);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#fleet [data-asset]');
    await page.goto(`${app.url}/console/#/work-orders`);
    await page.waitForSelector('#board [data-column]');
    return { page, errors };
  }

  it('asks for the finding before closing, offers every cause, and shows it on the card', async () => {
    const belt = await inProgress('Belt squeal');
    const { page, errors } = await board();
    const card = (column: string, id: string) =>
      page.locator(`[data-column="${column}"] [data-order="${id}"]`);
    const select = card('in_progress', belt).locator('select[data-finding]');
    await select.waitFor();
    // The same causes, in the same order and words, as the API takes.
    const options = await select
      .locator('option:not([disabled])')
      .evaluateAll((all) =>
        all.map((o) => ({ value: (o as HTMLOptionElement).value, title: o.textContent })),
      );
    expect(options).toEqual(CONFIRMED_CAUSE_CHOICES);

    await card('in_progress', belt).locator('button[data-move=done]').click();
    await expect.poll(() => page.textContent('#board-message')).toBe('Say what you found first.');
    const other = card('in_progress', belt).locator('input[data-other]');
    expect(await other.isHidden()).toBe(true);
    await select.selectOption('other:');
    expect(await other.isVisible()).toBe(true);
    await card('in_progress', belt).locator('button[data-move=done]').click();
    await expect.poll(() => page.textContent('#board-message')).toBe('Name the other cause first.');
    await other.fill('worn belt');
    // The choice outlives the board's redraw (every 5 s): mark the inputs and wait for new ones.
    await select.evaluate((el) => el.setAttribute('data-stale', ''));
    await page.waitForFunction(
      () => document.querySelector('select[data-finding][data-stale]') === null,
      null,
      {
        timeout: 10_000,
      },
    );
    expect(await select.inputValue()).toBe('other:');
    expect(await other.inputValue()).toBe('worn belt');
    await card('in_progress', belt).locator('button[data-move=done]').click();
    await card('done', belt).waitFor();
    expect(await card('done', belt).locator('[data-finding-of]').textContent()).toBe('Found: worn belt');
    expect((await admin.json<{ confirmedCause: string }>(`/v1/work-orders/${belt}`)).confirmedCause).toBe(
      'other:worn belt',
    );

    const hum = await inProgress('Hum at start');
    await card('in_progress', hum).locator('select[data-finding]').waitFor();
    await card('in_progress', hum).locator('select[data-finding]').selectOption('no-fault-found');
    await card('in_progress', hum).locator('button[data-move=done]').click();
    await card('done', hum).waitFor();
    expect(await card('done', hum).locator('[data-finding-of]').textContent()).toBe('No fault found');

    const shaft = await inProgress('Shaft knock');
    await card('in_progress', shaft).locator('select[data-finding]').waitFor();
    await card('in_progress', shaft).locator('select[data-finding]').selectOption('imbalance');
    await card('in_progress', shaft).locator('button[data-move=done]').click();
    await card('done', shaft).waitFor();
    expect(await card('done', shaft).locator('[data-finding-of]').textContent()).toBe('Found: imbalance');
    expect((await admin.json<{ confirmedCause: string }>(`/v1/work-orders/${shaft}`)).confirmedCause).toBe(
      'imbalance',
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('says when an order was closed without a finding', async () => {
    const old = await inProgress('Closed before findings');
    await app.services.db?.query(`UPDATE work_orders SET status = 'done' WHERE id = $1`, [old]);
    const { page, errors } = await board();
    const finding = page.locator(`[data-column="done"] [data-order="${old}"] [data-finding-of]`);
    await finding.waitFor();
    expect(await finding.textContent()).toBe('Finding not stated');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
