// @ts-check
import { getSensorSignal } from '../api.js';
import { lineChart } from '../chart.js';
import { figure, noData } from '../charts/time.js';
import { clock, h } from '../dom.js';
import { num } from './asset-features.js';

/** A table with a caption-less header row, wrapped so that a narrow screen scrolls the table, not the page. @param {string[]} columns @param {HTMLElement} body */
export function table(columns, body) {
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', {}, h('thead', {}, h('tr', {}, ...columns.map((t) => h('th', { scope: 'col' }, t)))), body),
  );
}

/** Each sensor's raw signal over the last 10 minutes: its latest sample block, or its readings. @param {HTMLElement} signal @param {import('../api.js').Sensor[]} sensors @param {number} to */
export async function drawSignals(signal, sensors, to) {
  const raws = await Promise.all(
    sensors.map((s) => getSensorSignal(s.id, { from: String(to - 600_000), to: String(to) })),
  );
  signal.replaceChildren();
  sensors.forEach((sensor, i) => {
    const raw = raws[i];
    const box = h(
      'div',
      { class: 'card', 'data-signal': sensor.id },
      h('strong', {}, `${sensor.id} (${sensor.unit})`),
    );
    signal.append(box);
    const block = raw.block;
    if (block) {
      const step = 1 / block.rateHz;
      const xs = block.values.map(
        (/** @type {number} */ _, /** @type {number} */ k) => block.ts / 1000 + k * step,
      );
      box.append(h('div', { class: 'muted' }, `latest block ${clock(block.ts)}, ${block.rateHz} Hz`));
      lineChart(box, [xs, block.values], [sensor.unit], { height: 180 });
    } else if (raw.readings.length) {
      lineChart(
        box,
        [raw.readings.map((r) => r.ts / 1000), raw.readings.map((r) => r.value)],
        [sensor.unit],
        { height: 180 },
      );
    } else {
      const { fig, host } = figure('signal', 'last 10 minutes');
      box.append(fig);
      noData(host);
    }
  });
}

/** Which scorer raised an alert: a learned model's name and version, a diagnosis, or the baseline. @param {import('../api.js').Alert} alert */
const scoredBy = (alert) =>
  alert.model
    ? `${alert.model.name} v${alert.model.version}`
    : alert.cause.startsWith('diagnosis:')
      ? 'diagnosis'
      : 'baseline';

/** Rows of the asset's alerts, newest first, with the evidence each carries. @param {import('../api.js').Alert[]} alerts */
export const alertRows = (alerts) =>
  alerts.map((a) =>
    h(
      'tr',
      { 'data-alert': a.id },
      h('td', {}, clock(a.raisedAt)),
      h('td', {}, a.sensorId),
      h('td', {}, h('span', { class: `pill ${a.severity}` }, a.severity)),
      h('td', {}, a.status),
      h('td', {}, `${num(a.health)} / 100`),
      h('td', {}, num(a.score)),
      h('td', {}, a.message),
      h('td', {}, scoredBy(a)),
    ),
  );

export const ALERT_COLUMNS = [
  'raised',
  'sensor',
  'severity',
  'status',
  'health',
  'score',
  'message',
  'scored by',
];

/** Rows of the asset's work orders. @param {import('../api.js').WorkOrder[]} orders */
export const orderRows = (orders) =>
  orders.map((o) =>
    h(
      'tr',
      { 'data-order': o.id },
      h('td', {}, clock(o.createdAt)),
      h('td', {}, h('span', { class: `pill ${o.priority}` }, o.priority)),
      h('td', {}, o.status),
      h('td', {}, o.title),
    ),
  );

export const ORDER_COLUMNS = ['opened', 'priority', 'status', 'title'];
