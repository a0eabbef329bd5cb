// @ts-check
import { getAsset, getAssetFeatures, listAlerts, listWorkOrders } from '../api.js';
import { every, h, healthClass, healthText, lastReadingText } from '../dom.js';
import { sensorFeatures } from './asset-features.js';
import { ALERT_COLUMNS, alertRows, drawSignals, ORDER_COLUMNS, orderRows, table } from './asset-tables.js';
import { rulPanel } from './rul.js';
import { spectrumCard } from './spectrum.js';
import { machinePanel, vibrationCard } from './vibration.js';

const RANGES = /** @type {const} */ ([
  ['15m', 15 * 60_000, 'window'],
  ['1h', 3_600_000, 'window'],
  ['6h', 6 * 3_600_000, '1m'],
  ['24h', 24 * 3_600_000, '1m'],
  ['7d', 7 * 24 * 3_600_000, '1h'],
]);

/**
 * The health under which alerts are raised (scoring.alertBelow, 0–100): the asset's `alertBelow`, else the
 * alert line of its remaining-useful-life estimate; null when the API gives neither.
 * @param {import('../api.js').Asset} asset
 * @returns {number | null}
 */
export const alertThreshold = (asset) =>
  asset.alertBelow ?? asset.remainingUsefulLife?.alert?.threshold ?? null;

/** Health, last reading, stale sensors and the alert threshold of an asset, as one line. @param {import('../api.js').Asset} asset */
function statusLine(asset) {
  const stale = asset.sensors.filter((s) => s.stale && !s.retiredAt).map((s) => s.id);
  const threshold = alertThreshold(asset);
  return h(
    'p',
    { id: 'asset-status' },
    h('span', { class: `pill ${healthClass(asset.health)}`, 'data-health': '' }, healthText(asset.health)),
    ' ',
    h('span', { 'data-last-reading': asset.lastReadingAt ?? '' }, lastReadingText(asset.lastReadingAt)),
    asset.stale
      ? h('span', { class: 'pill stale', 'data-stale': '' }, `Stale: silent ${stale.join(', ')}`)
      : null,
    threshold === null
      ? null
      : h(
          'span',
          { class: 'muted', 'data-alert-below': String(threshold) },
          ` · alerts below health ${threshold}`,
        ),
  );
}

/**
 * One asset: health, its machine model and vibration diagnostics, the feature charts the scoring uses per sensor
 * with the alerts' evidence, the latest spectrum of each vibration sensor, the raw signal, alerts and work orders.
 */
export async function assetPage(/** @type {HTMLElement} */ view, /** @type {string} */ assetId) {
  const asset = await getAsset(assetId);
  const picker = /** @type {HTMLSelectElement} */ (
    h('select', { id: 'range' }, ...RANGES.map(([label]) => h('option', { value: label }, label)))
  );
  picker.value = '1h';
  const active = asset.sensors.filter((s) => !s.retiredAt);
  const vibrationSensors = active.filter((s) => s.kind === 'vibration');
  const vibration = h('div', { class: 'stack', id: 'vibration' });
  const vibrationBoxes = vibrationSensors.map((s) =>
    h('div', { class: 'card', 'data-vibration': s.id }, h('strong', {}, s.id)),
  );
  vibration.append(...vibrationBoxes);
  const spectra = h('div', { class: 'charts', id: 'spectra' });
  const spectrumBoxes = vibrationSensors.map((s) => h('div', { class: 'card', 'data-spectrum': s.id }));
  spectra.append(...spectrumBoxes);
  const status = h('div', {}, statusLine(asset));
  const charts = h('div', { class: 'charts', id: 'charts' });
  const signal = h('div', { class: 'charts', id: 'signal' });
  const alerts = h('tbody');
  const orders = h('tbody');
  view.append(
    h('h1', {}, asset.name),
    status,
    h(
      'p',
      { class: 'muted' },
      `${asset.kind} · line ${asset.lineId} · site ${asset.siteId} · ${asset.sensors.length} sensors · scored by `,
      h(
        'span',
        { id: 'health-model' },
        asset.healthModel
          ? `model ${asset.healthModel.name} version ${asset.healthModel.version}`
          : 'the baseline scorer',
      ),
    ),
    h('h2', {}, 'Machine model'),
    await machinePanel(asset),
    ...(asset.remainingUsefulLife
      ? [h('h2', {}, 'Remaining useful life'), rulPanel(asset.remainingUsefulLife)]
      : []),
    ...(vibrationSensors.length ? [h('h2', {}, 'Vibration diagnostics'), vibration] : []),
    h('h2', {}, 'Features'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Range', picker)),
    charts,
    ...(vibrationSensors.length ? [h('h2', {}, 'Latest spectrum'), spectra] : []),
    h('h2', {}, 'Raw signal'),
    signal,
    h('h2', {}, 'Alerts'),
    table(ALERT_COLUMNS, alerts),
    h('h2', {}, 'Work orders'),
    table(ORDER_COLUMNS, orders),
  );

  const draw = async () => {
    const [label, span, resolution] = RANGES.find(([l]) => l === picker.value) ?? RANGES[1];
    const to = Date.now();
    const from = to - span;
    const now = await getAsset(assetId);
    // The sensors as they stand now: when each last sent a reading.
    const fresh = vibrationSensors.map((s) => now.sensors.find((x) => x.id === s.id) ?? s);
    const [features, a, w, edges] = await Promise.all([
      getAssetFeatures(assetId, { from: String(from), to: String(to), resolution }),
      listAlerts({ asset: assetId, limit: 100 }),
      listWorkOrders({ asset: assetId, limit: 20 }),
      Promise.all(fresh.map((s, i) => spectrumCard(s, spectrumBoxes[i]))),
    ]);
    status.replaceChildren(statusLine(now));
    await Promise.all(
      vibrationSensors.map((s, i) => vibrationCard(fresh[i], now.latestFeatures[s.id], vibrationBoxes[i])),
    );
    const bandEdges = new Map(vibrationSensors.map((s, i) => [s.id, edges[i]]));
    const range = { label, from, to, resolution };
    charts.replaceChildren();
    const firedOn = new Set(a.items.filter((x) => x.raisedAt >= from).map((x) => x.sensorId));
    // The sensors that raised alerts in the range first: what fired is what an engineer looks at.
    const sensors = [...asset.sensors].sort((x, y) => Number(firedOn.has(y.id)) - Number(firedOn.has(x.id)));
    for (const sensor of sensors) {
      const rows = features.items.filter((f) => f.sensorId === sensor.id);
      const fired = a.items
        .filter((x) => x.sensorId === sensor.id && x.raisedAt >= from && x.raisedAt <= to)
        .reverse();
      sensorFeatures(charts, sensor, rows, fired, range, alertThreshold(now), bandEdges.get(sensor.id));
    }
    await drawSignals(signal, asset.sensors, to);
    alerts.replaceChildren(...alertRows(a.items));
    orders.replaceChildren(...orderRows(w.items));
  };
  picker.addEventListener('change', () => draw());
  await draw();
  return every(draw, 10_000);
}
