/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { client } from './helpers/app.ts';
import { launchChromium, signedIn, simulatedPlant } from './helpers/console.ts';
import { chromiumAvailable } from './helpers/infra.ts';

const SHOTS = '.test-results/console';
/** ISO 20816-3 group 2 on a rigid foundation, the simulated plant's class: zone boundaries in mm/s (Table A.2). */
const GROUP_2_RIGID = { ab: 1.4, bc: 2.8, cd: 4.5 };
const zoneOf = (mmPerS: number) =>
  mmPerS < GROUP_2_RIGID.ab ? 'A' : mmPerS < GROUP_2_RIGID.bc ? 'B' : mmPerS < GROUP_2_RIGID.cd ? 'C' : 'D';
/** Each zone's badge colour: A green, B yellow-green, C orange, D red (web/style.css). */
const ZONE_BORDER = {
  A: 'rgb(46, 158, 91)',
  B: 'rgb(155, 187, 42)',
  C: 'rgb(232, 132, 26)',
  D: 'rgb(214, 69, 69)',
};
const browserReady = await chromiumAvailable();

describe.runIf(browserReady.available)('the console in headless Chromium', () => {
  let app: MantisApp;
  let browser: Browser;
  let keys: Record<'viewer' | 'technician', { token: string; id: string }>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ app, keys } = await simulatedPlant());
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function signIn(role: 'viewer' | 'technician'): Promise<Page> {
    const { page, errors } = await signedIn(browser, app, keys[role].token, { width: 1400, height: 1000 });
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

  it("labels each asset's health on its 0–100 scale with its state in words, and its last reading", async () => {
    const page = await signIn('viewer');
    type Listed = { id: string; health: number | null; lastReadingAt: string | null; stale: boolean };
    const { items } = await client(app).json<{ items: Listed[] }>('/v1/assets?sort=health');
    const stateOf = (h: number) =>
      h >= 70 ? ['good', 'good'] : h >= 40 ? ['fair', 'fair'] : ['bad', 'poor'];
    // The state's colour (web/style.css --good-text, --fair-text, --bad-text), each 4.5:1 or more on white.
    const COLOUR = { good: 'rgb(30, 122, 69)', fair: 'rgb(138, 90, 0)', bad: 'rgb(179, 38, 30)' };
    for (const asset of items) {
      if (asset.health === null || !asset.lastReadingAt)
        throw new Error(`${asset.id} has no health or reading`);
      const card = page.locator(`[data-asset="${asset.id}"]`);
      const [cls, word] = stateOf(asset.health);
      expect(await card.locator('.health').textContent()).toBe(`${Math.round(asset.health)} / 100 ${word}`);
      expect(await card.locator('.state-label').textContent()).toBe('Health (0–100)');
      expect(await card.locator('[data-state]').getAttribute('data-state')).toBe(cls);
      expect(await card.locator('.health').evaluate((el) => getComputedStyle(el).color)).toBe(
        COLOUR[cls as keyof typeof COLOUR],
      );
      expect(await card.locator('[data-last-reading]').getAttribute('data-last-reading')).toBe(
        asset.lastReadingAt,
      );
      const time = new Date(asset.lastReadingAt).toLocaleTimeString('en-US');
      expect(await card.locator('[data-last-reading]').textContent()).toContain(`last reading ${time}`);
      // Readings arrived a moment ago: no sensor is silent for the stale period (15 min by default).
      expect(asset.stale).toBe(false);
      expect(await card.locator('[data-stale]').count()).toBe(0);
    }
    expect(items[0].id).toBe('pump-2');
    expect(await page.textContent('#fleet-summary')).toBe(
      `${items.length} assets · 2 active alerts · 0 stale`,
    );
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it("marks pump-2's alerts on its feature charts at the instant they fired, with their evidence", async () => {
    const page = await signIn('viewer');
    await page.click('[data-asset="pump-2"]');
    const api = client(app);
    const asset = await api.json<{ alertBelow: number }>('/v1/assets/pump-2');
    type Alert = {
      id: string;
      sensorId: string;
      raisedAt: number;
      health: number;
      score: number;
      cause: string;
      message: string;
      severity: string;
    };
    const { items: alerts } = await api.json<{ items: Alert[] }>('/v1/alerts?asset=pump-2');
    expect(alerts.length).toBeGreaterThan(0);
    const vib = page.locator('#charts [data-sensor="pump-2.vib"]');
    await vib.locator('[data-chart="bands"] .uplot canvas').waitFor();
    // Health with the alert threshold line, kurtosis and crest factor, band energies, RMS: each with its unit.
    expect(await vib.locator('figcaption').allTextContents()).toEqual([
      `Health (0–100) · alert below ${asset.alertBelow}`,
      'Kurtosis and crest factor (dimensionless)',
      'Band energies (g)², log scale',
      'RMS (g)',
    ]);
    expect(await vib.locator('[data-chart="health"] .u-legend .u-label').allTextContents()).toEqual([
      'Time',
      'health',
      `alert below ${asset.alertBelow}`,
    ]);
    // Band energies are labelled with the configured edges (pipeline.bandEdgesHz), from the spectrum route.
    const spectrum = await api.json<{ bandEdgesHz: number[]; samples: number; rateHz: number }>(
      '/v1/sensors/pump-2.vib/spectrum',
    );
    const bandLabels = await vib.locator('[data-chart="bands"] .u-legend .u-label').allTextContents();
    expect(bandLabels.slice(1)).toEqual(
      spectrum.bandEdgesHz.slice(0, -1).map((e, i) => `${e}–${spectrum.bandEdgesHz[i + 1]} Hz`),
    );
    // A scalar sensor: mean with its min–max band, in its unit.
    expect(await page.locator('[data-sensor="pump-2.temp"] figcaption').allTextContents()).toEqual([
      `Health (0–100) · alert below ${asset.alertBelow}`,
      'Mean with min–max band (°C)',
    ]);
    for (const alert of alerts) {
      const card = page.locator(`#charts [data-sensor="${alert.sensorId}"]`);
      // The instant is marked on every chart of the sensor.
      const charts = await card.locator('figure .uplot').count();
      expect(await card.locator(`[data-marker="${alert.id}"]`).count()).toBe(charts);
      const marker = card.locator(`[data-chart="health"] [data-marker="${alert.id}"]`);
      expect(await marker.isVisible()).toBe(true);
      expect(await marker.textContent()).toBe(`alert ${new Date(alert.raisedAt).toLocaleString('en-US')}`);
      const evidence = card.locator(`[data-evidence="${alert.id}"]`);
      expect(await evidence.textContent()).toContain(alert.message);
      const field = (name: string) => evidence.locator(`[data-field="${name}"]`).textContent();
      const four = (v: number) => String(Number(v.toPrecision(4)));
      expect(await field('health')).toBe(`${four(alert.health)} / 100 (alert below ${asset.alertBelow})`);
      expect(await field('anomaly score')).toBe(four(alert.score));
      expect(await field('cause')).toBe(alert.cause);
    }
    // The latest spectrum of the vibration sensor, with its block's facts.
    const facts = await page.locator('[data-spectrum="pump-2.vib"] [data-spectrum-facts]').textContent();
    expect(facts).toContain(`${spectrum.samples} samples at ${spectrum.rateHz} Hz`);
    expect(await page.locator('[data-spectrum="pump-2.vib"] .uplot canvas').count()).toBe(1);
    expect(await page.locator('[data-spectrum="pump-2.vib"] [data-band-edge]').count()).toBe(
      spectrum.bandEdgesHz.length,
    );
    await page.screenshot({ path: `${SHOTS}/asset-evidence.png`, fullPage: true });
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it("shows on a work order's card the evidence of the alert it was opened for", async () => {
    const page = await signIn('viewer');
    await page.goto(`${app.url}/console/#/work-orders`);
    type Order = {
      id: string;
      alert: { health: number; score: number; cause: string; message: string } | null;
    };
    const { items } = await client(app).json<{ items: Order[] }>('/v1/work-orders');
    const order = items.find((o) => o.alert !== null);
    if (!order?.alert) throw new Error('no work order was opened for an alert');
    const evidence = page.locator(`[data-alert-of="${order.id}"]`);
    await evidence.waitFor();
    expect(await evidence.locator('[data-field="health"]').textContent()).toBe(
      `${Number(order.alert.health.toPrecision(4))} / 100`,
    );
    expect(await evidence.locator('[data-field="cause"]').textContent()).toBe(order.alert.cause);
    expect(await evidence.locator('.alert-message').textContent()).toBe(order.alert.message);
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it("draws an asset's feature charts and raw signal", async () => {
    const page = await signIn('viewer');
    await page.click('[data-asset="pump-1"]');
    const asset = await client(app).json<{ sensors: unknown[] }>('/v1/assets/pump-1');
    // A health chart per sensor, each with its own canvas.
    await page.waitForFunction(
      (n) => document.querySelectorAll('#charts [data-chart="health"] .uplot canvas').length === n,
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
    // Roll-ups keep no kurtosis, crest factor or band energies: the vibration card says so instead of a chart.
    expect(await page.textContent('[data-sensor="pump-1.vib"] [data-chart="per-window-only"]')).toContain(
      'kept per window',
    );
    expect(await page.locator('[data-sensor="pump-1.vib"] [data-chart="rms"] .uplot canvas').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/asset.png`, fullPage: true });
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it("shows each asset's ISO 20816-3 zone and velocity on the fleet, coloured and spelt out", async () => {
    const page = await signIn('viewer');
    type Listed = { id: string; severity: { zone: keyof typeof ZONE_BORDER; velocityRms: number } | null };
    const { items } = await client(app).json<{ items: Listed[] }>('/v1/assets');
    // The faulty pump and a healthy one have a zone; every asset of the plant has a vibration sensor.
    expect(['pump-2', 'pump-1'].map((id) => items.find((a) => a.id === id)?.severity?.zone)).toEqual([
      expect.any(String),
      expect.any(String),
    ]);
    for (const { id, severity } of items) {
      if (!severity) throw new Error(`${id} has no severity`);
      expect(severity.zone).toBe(zoneOf(severity.velocityRms));
      const badge = page.locator(`[data-asset="${id}"] [data-zone]`);
      expect(await badge.textContent()).toBe(
        `Zone ${severity.zone} · ${severity.velocityRms.toFixed(2)} mm/s`,
      );
      expect(await badge.evaluate((el) => getComputedStyle(el).borderTopColor)).toBe(
        ZONE_BORDER[severity.zone],
      );
    }
    await page.screenshot({ path: `${SHOTS}/fleet-zones.png`, fullPage: true });
    await page.close();
    for (const check of afterChecks.splice(0)) check();
  }, 60_000);

  it("shows pump-2's machine model, its envelope spectrum with the BPFO marker, and the outer-race diagnosis", async () => {
    const page = await signIn('viewer');
    await page.click('[data-asset="pump-2"]');
    const api = client(app);
    type Geometry = {
      rollingElements: number;
      ballDiameterMm: number;
      pitchDiameterMm: number;
      contactAngleDeg: number;
    };
    const { items: bearings } = await api.json<{
      items: { designation: string; source: string; geometry: Geometry }[];
    }>('/v1/bearings');
    const b6205 = bearings.find((b) => b.designation === '6205');
    if (!b6205) throw new Error('6205 is not in the catalogue');
    const g = b6205.geometry;
    // BPFO = Z/2 · (1 − d/D · cos φ) · shaft Hz (Randall & Antoni 2011, Rolling element bearing diagnostics — a
    // tutorial, eq. 1), pump-2 running at 1797 rpm.
    const mm = (v: number) => String(Math.round(v * 1000) / 1000);
    const cos = Math.cos((g.contactAngleDeg * Math.PI) / 180);
    const bpfo = (g.rollingElements / 2) * (1 - (g.ballDiameterMm / g.pitchDiameterMm) * cos) * (1797 / 60);
    expect(bpfo).toBeCloseTo(107.36, 1);

    const card = page.locator('[data-vibration="pump-2.vib"]');
    const marker = card.locator('.marker[data-defect="bpfo"][data-harmonic="1"]');
    await marker.waitFor();
    expect(await marker.textContent()).toBe(`BPFO ${bpfo.toFixed(1)} Hz`);
    // The line stands at BPFO on the frequency axis, which runs from 0 to the view's last bin.
    const view = await api.json<{
      resolutionHz: number;
      amplitude: number[];
      band: { lowHz: number; highHz: number };
    }>('/v1/sensors/pump-2.vib/envelope');
    const topHz = (view.amplitude.length - 1) * view.resolutionHz;
    // The marker's layer sits in uPlot's plot-area overlay: its left edge is 0 Hz, its width the axis.
    const at = await marker.evaluate(
      (el) => (el as HTMLElement).offsetLeft / (el.parentElement?.parentElement?.clientWidth ?? 1),
    );
    expect(at).toBeCloseTo(bpfo / topHz, 2);
    // Harmonics' lines are drawn lighter than the fundamental's (their labels keep full colour, to stay legible).
    const alpha = (harmonic: number) =>
      card.locator(`.marker[data-defect="bpfo"][data-harmonic="${harmonic}"]`).evaluate((el) => {
        const rgba = /rgba?\(([^)]+)\)/.exec(getComputedStyle(el).borderLeftColor)?.[1].split(',') ?? [];
        return rgba.length === 4 ? Number(Number(rgba[3]).toFixed(1)) : 1;
      });
    expect([await alpha(1), await alpha(2)]).toEqual([1, 0.4]);
    expect(await card.locator('[data-envelope="pump-2.vib"] .uplot canvas').count()).toBe(1);
    const facts = await card.locator('[data-envelope-facts]').textContent();
    expect(facts).toContain('speed 1797 rpm (29.95 Hz), fixed');
    expect(facts).toContain(`band ${view.band.lowHz.toFixed(0)}–${view.band.highHz.toFixed(0)} Hz`);

    // The latest window's velocity, zone and named diagnosis with its evidence.
    const asset = await api.json<{
      latestFeatures: Record<
        string,
        {
          velocityRms: number;
          severityZone: string;
          diagnostics: { diagnoses: { fault: string; message: string; evidence: Record<string, number> }[] };
        }
      >;
    }>('/v1/assets/pump-2');
    const latest = asset.latestFeatures['pump-2.vib'];
    expect(await card.locator('[data-zone]').textContent()).toBe(
      `Zone ${zoneOf(latest.velocityRms)} · ${latest.velocityRms.toFixed(2)} mm/s`,
    );
    const outer = latest.diagnostics.diagnoses.find((d) => d.fault === 'outer-race');
    if (!outer) throw new Error('the latest window names no outer-race defect');
    expect(Math.abs(outer.evidence.foundHz - bpfo)).toBeLessThan(1);
    const diagnosis = card.locator('[data-fault="outer-race"]');
    const text = await diagnosis.textContent();
    expect(text).toContain('outer-race on 6205 (drive end)');
    expect(text).toContain(outer.message);
    expect(outer.message).toMatch(
      /^outer-race defect suspected on bearing 6205 \(drive end\): envelope peaks at 107\.\d Hz = BPFO/,
    );
    const evidence = await diagnosis.locator('dl.evidence dt').allTextContents();
    expect(evidence).toEqual(Object.keys(outer.evidence));
    expect(await diagnosis.locator('dl.evidence dd').nth(evidence.indexOf('foundHz')).textContent()).toBe(
      String(Number(outer.evidence.foundHz.toPrecision(4))),
    );

    // The machine model: speed and its source, ISO class, the bearing with its catalogue geometry.
    const machine = await page.textContent('#machine');
    expect(machine).toContain('1797 rpm (29.95 Hz), fixed');
    expect(machine).toContain('group 2: rated power 15–300 kW, rigid foundation');
    expect(await page.locator('#machine [data-bearing="6205"] td').allTextContents()).toEqual([
      'pump-2.vib',
      '6205',
      'drive end',
      // Lengths to the micrometre: the catalogue converts inches.
      `Z ${g.rollingElements} · d ${mm(g.ballDiameterMm)} mm · D ${mm(g.pitchDiameterMm)} mm · φ ${g.contactAngleDeg}°`,
      b6205.source,
    ]);
    await page.screenshot({ path: `${SHOTS}/asset-vibration.png`, fullPage: true });
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
    await card('in_progress').locator('select[data-finding]').selectOption('misalignment');
    await card('in_progress').locator('button[data-move=done]').click();
    await card('done').waitFor();
    await page.screenshot({ path: `${SHOTS}/board-done.png`, fullPage: true });
    const id = await card('done').getAttribute('data-order');
    const order = await client(app).json<{
      status: string;
      assignee: string;
      events: { to: string; actor: string }[];
    }>(`/v1/work-orders/${id}`);
    expect(order).toMatchObject({ status: 'done', assignee: 'dana', confirmedCause: 'misalignment' });
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
