/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { MantisApp } from '../../src/app/app.ts';
import { runSimulator } from '../../src/simulator/driver.ts';
import { alignedStart, bodyOf, client, startApp } from './app.ts';
import { CHROMIUM } from './infra.ts';

export const DESKTOP = { width: 1280, height: 800 };
export const TABLET = { width: 768, height: 1024 };

/** Debian's Chromium, headless, as scripts/stack/tools.sh installs it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}

/** A page signed in with `token`, on the fleet; `errors` collects every script error the page reports. */
export async function signedIn(
  browser: Browser,
  app: MantisApp,
  token: string,
  viewport = DESKTOP,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  await page.goto(`${app.url}/`);
  await page.fill('input[name=key]', token);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#fleet [data-asset]');
  return { page, errors };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The page's WCAG 2 A and AA violations found by axe-core, as "rule: target" lines. axe is evaluated through the
 * debugging protocol: the console's Content-Security-Policy rightly refuses an inline script tag.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time.
    const result = await (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
    });
    return result.violations.flatMap((v: { id: string; nodes: { target: string[] }[] }) =>
      v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`),
    );
  });
  return violations;
}

/** How far the page is wider than its viewport, px (0: no horizontal scroll). */
export const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Whether an element is laid out within the viewport's width (its box neither clipped nor pushed off to the right). */
export const withinWidth = (page: Page, selector: string) =>
  page.$eval(selector, (el) => {
    const box = el.getBoundingClientRect();
    return (
      box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= document.documentElement.clientWidth
    );
  });

/** Seconds of simulated plant: pump-2's outer-race fault starts at 70 s and is named well before 120 s. */
export const SIMULATED_SECONDS = 120;

/**
 * MANTIS with the simulated plant's 8 assets after SIMULATED_SECONDS of readings, every window stored, and a viewer
 * and a technician key.
 */
export async function simulatedPlant(): Promise<{
  app: MantisApp;
  keys: Record<'viewer' | 'technician', { token: string; id: string }>;
}> {
  // Silent sensors close their windows after a second, so that every window of the run gets stored.
  const app = await startApp({ 'pipeline.idleTimeoutSeconds': 1 });
  const startTs = alignedStart(SIMULATED_SECONDS + 10);
  await runSimulator({
    url: app.url,
    token: app.token,
    startTs,
    speed: 0,
    durationSeconds: SIMULATED_SECONDS,
  });
  const admin = client(app);
  const keys = { viewer: { token: '', id: '' }, technician: { token: '', id: '' } };
  for (const role of ['viewer', 'technician'] as const) {
    const body = await bodyOf(await admin.request('POST', '/v1/keys', { name: role, role }));
    keys[role] = { token: body.token, id: body.key.id };
  }
  // Wait until the last window of every series (8 assets × 3 sensors) is stored: the pages then show values
  // that no longer change.
  const last = startTs + (SIMULATED_SECONDS - 10) * 1000;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { items } = await admin.json<{ items: unknown[] }>(
      `/v1/export/features?from=${last}&to=${last + 10_000}`,
    );
    if (items.length === 24) break;
    if (Date.now() > deadline) throw new Error(`only ${items.length} of 24 last windows stored`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { app, keys };
}
