// @ts-check
import { get } from '../api.js';
import { lineChart } from '../chart.js';
import { clock, every, h, healthClass } from '../dom.js';
import { rulPanel } from './rul.js';
import { machinePanel, vibrationCard } from './vibration.js';

const RANGES = /** @type {const} */ ([
  ['15m', 15 * 60_000, 'window'],
  ['1h', 3_600_000, 'window'],
  ['6h', 6 * 3_600_000, '1m'],
  ['24h', 24 * 3_600_000, '1m'],
  ['7d', 7 * 24 * 3_600_000, '1h'],
]);

/**
 * One asset: health, its machine model and vibration diagnostics, live feature charts per sensor, its raw
 * signal, alerts and work orders.
 */
export async function assetPage(/** @type {HTMLElement} */ view, /** @type {string} */ assetId) {
  const asset = await get(`/v1/assets/${encodeURIComponent(assetId)}`);
  const picker = h(
    'select',
    { id: 'range', 'aria-label': 'time range' },
    ...RANGES.map(([label]) => h('option', { value: label }, label)),
  );
  /** @type {HTMLSelectElement} */ (picker).value = '1h';
  const vibrationSensors = asset.sensors.filter(
    (/** @type {any} */ s) => s.kind === 'vibration' && !s.retiredAt,
  );
  const vibration = h('div', { class: 'stack', id: 'vibration' });
  const vibrationBoxes = vibrationSensors.map((/** @type {any} */ s) =>
    h('div', { class: 'card', 'data-vibration': s.id }, h('strong', {}, s.id)),
  );
  vibration.append(...vibrationBoxes);
  const charts = h('div', { class: 'charts', id: 'charts' });
  const signal = h('div', { class: 'charts', id: 'signal' });
  const alerts = h('tbody');
  const orders = h('tbody');
  view.append(
    h(
      'h1',
      {},
      `${asset.name} `,
      h('span', { class: `pill ${healthClass(asset.health)}` }, `health ${asset.health ?? '—'}`),
    ),
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
    h('div', { class: 'toolbar' }, h('label', {}, 'Range', picker)),
    h('h2', {}, 'Features'),
    charts,
    h('h2', {}, 'Raw signal'),
    signal,
    h('h2', {}, 'Alerts'),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h('tr', {}, ...['raised', 'severity', 'status', 'message', 'scored by'].map((t) => h('th', {}, t))),
      ),
      alerts,
    ),
    h('h2', {}, 'Work orders'),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...['opened', 'priority', 'status', 'title'].map((t) => h('th', {}, t)))),
      orders,
    ),
  );

  // The latest window per sensor, read again on each refresh.
  const drawVibration = async () => {
    const { latestFeatures } = await get(`/v1/assets/${encodeURIComponent(assetId)}`);
    await Promise.all(
      vibrationSensors.map((/** @type {any} */ s, /** @type {number} */ i) =>
        vibrationCard(s, latestFeatures[s.id], vibrationBoxes[i]),
      ),
    );
  };
  const draw = async () => {
    if (vibrationSensors.length) await drawVibration();
    const [label, span, resolution] =
      RANGES.find(([l]) => l === /** @type {HTMLSelectElement} */ (picker).value) ?? RANGES[1];
    const to = Date.now();
    const from = to - span;
    const features = await get(
      `/v1/assets/${encodeURIComponent(assetId)}/features?from=${from}&to=${to}&resolution=${resolution}&limit=10000`,
    );
    charts.replaceChildren();
    for (const sensor of asset.sensors) {
      const rows = features.items.filter((/** @type {any} */ f) => f.sensorId === sensor.id);
      const xs = rows.map((/** @type {any} */ f) => (f.windowStart ?? f.bucket) / 1000);
      const box = h(
        'div',
        { class: 'card', 'data-sensor': sensor.id },
        h('strong', {}, `${sensor.id} (${sensor.unit}) — ${label}`),
      );
      charts.append(box);
      lineChart(
        box,
        [xs, rows.map((/** @type {any} */ f) => f.rms), rows.map((/** @type {any} */ f) => f.mean)],
        ['RMS', 'mean'],
      );
    }
    signal.replaceChildren();
    for (const sensor of asset.sensors) {
      const raw = await get(
        `/v1/sensors/${encodeURIComponent(sensor.id)}/signal?from=${to - 600_000}&to=${to}`,
      );
      const box = h('div', { class: 'card', 'data-signal': sensor.id }, h('strong', {}, sensor.id));
      signal.append(box);
      if (raw.block) {
        const step = 1 / raw.block.rateHz;
        const xs = raw.block.values.map(
          (/** @type {number} */ _, /** @type {number} */ i) => raw.block.ts / 1000 + i * step,
        );
        box.append(
          h('div', { class: 'muted' }, `latest block ${clock(raw.block.ts)}, ${raw.block.rateHz} Hz`),
        );
        lineChart(box, [xs, raw.block.values], [sensor.unit], { height: 180 });
      } else {
        lineChart(
          box,
          [
            raw.readings.map((/** @type {any} */ r) => r.ts / 1000),
            raw.readings.map((/** @type {any} */ r) => r.value),
          ],
          [sensor.unit],
          { height: 180 },
        );
      }
    }
    const [a, w] = await Promise.all([
      get(`/v1/alerts?asset=${encodeURIComponent(assetId)}&limit=20`),
      get(`/v1/work-orders?asset=${encodeURIComponent(assetId)}&limit=20`),
    ]);
    /** @param {number} at @param {string} level @param {string} status @param {string} text */
    const row = (at, level, status, text) =>
      h(
        'tr',
        {},
        h('td', {}, clock(at)),
        h('td', {}, h('span', { class: `pill ${level}` }, level)),
        h('td', {}, status),
        h('td', {}, text),
      );
    // Which scorer raised each alert: a learned model's name and version, or the baseline.
    const scoredBy = (/** @type {any} */ x) =>
      h(
        'td',
        {},
        x.model
          ? `${x.model.name} v${x.model.version}`
          : x.cause.startsWith('diagnosis:')
            ? 'diagnosis'
            : 'baseline',
      );
    alerts.replaceChildren(
      ...a.items.map((/** @type {any} */ x) => {
        const tr = row(x.raisedAt, x.severity, x.status, x.message);
        tr.append(scoredBy(x));
        return tr;
      }),
    );
    orders.replaceChildren(
      ...w.items.map((/** @type {any} */ x) => row(x.createdAt, x.priority, x.status, x.title)),
    );
  };
  picker.addEventListener('change', () => draw());
  await draw();
  return every(draw, 10_000);
}
