// @ts-check
import { figure, noData, timeChart } from '../charts/time.js';
import { clock, h } from '../dom.js';

/**
 * @typedef {{ label: string, from: number, to: number, resolution: string }} Range
 * @typedef {{ id: string, sensorId: string, raisedAt: number, health: number, score: number, message: string,
 *   cause: string, severity: string }} AlertLike
 */

/** "1.234", "0.0001234", "12 345": four significant digits, plain. @param {number | null | undefined} v */
export const num = (v) => (v === null || v === undefined ? '—' : String(Number(v.toPrecision(4))));

/** The band energies' labels: "50–100 Hz" from the edges, "band 3" without them. @param {number} count @param {number[] | undefined} edges */
function bandLabels(count, edges) {
  return Array.from({ length: count }, (_, i) =>
    edges && edges.length > i + 1 ? `${edges[i]}–${edges[i + 1]} Hz` : `band ${i + 1}`,
  );
}

/** @param {(number | null | undefined)[]} values */
const hasData = (values) => values.some((v) => typeof v === 'number' && Number.isFinite(v));

/**
 * Draws a chart in a new figure of `box`, or says there is no data in this range.
 * @param {HTMLElement} box @param {string} kind @param {string} caption
 * @param {import('../charts/time.js').TimeChartSpec} spec
 */
function chart(box, kind, caption, spec) {
  const { fig, host } = figure(kind, caption);
  box.append(fig);
  // A dashed reference line (the alert threshold) is no data of its own.
  const measured = spec.series.filter((s) => !s.dash);
  if (spec.xs.length === 0 || !measured.some((s) => hasData(s.values))) noData(host);
  else timeChart(host, spec);
}

/**
 * The evidence of an alert: what the alert says (severity, health against the threshold, anomaly score, cause,
 * message) and the values of the sensor's window that held the instant it was raised.
 * @param {AlertLike} alert @param {any | undefined} window the window (or bucket) at raisedAt
 * @param {import('../api.js').Sensor} sensor
 * @param {number | null} alertBelow
 */
export function evidenceCard(alert, window, sensor, alertBelow) {
  const pairs = [
    ['health', `${num(alert.health)} / 100${alertBelow === null ? '' : ` (alert below ${alertBelow})`}`],
    ['anomaly score', num(alert.score)],
    ['cause', alert.cause],
  ];
  if (window) {
    const at = window.windowStart ?? window.bucket;
    pairs.push(['window', clock(at)]);
    if ('kurtosis' in window) pairs.push(['kurtosis', num(window.kurtosis)]);
    if ('crestFactor' in window) pairs.push(['crest factor', num(window.crestFactor)]);
    pairs.push(['RMS', `${num(window.rms)} ${sensor.unit}`]);
    pairs.push(['mean', `${num(window.mean)} ${sensor.unit}`]);
    if (typeof window.dominantHz === 'number') pairs.push(['dominant', `${num(window.dominantHz)} Hz`]);
  }
  return h(
    'div',
    { class: 'evidence-card', 'data-evidence': alert.id },
    h(
      'div',
      {},
      h('strong', {}, `Alert raised ${clock(alert.raisedAt)}`),
      ' ',
      h('span', { class: `pill ${alert.severity}` }, alert.severity),
    ),
    h('div', {}, alert.message),
    h(
      'dl',
      { class: 'evidence' },
      ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, v)]),
    ),
  );
}

/** The sensor's row that held `t`: the latest starting at or before it. @param {any[]} rows @param {number} t */
const rowAt = (rows, t) => rows.findLast((r) => (r.windowStart ?? r.bucket) <= t);

/**
 * One sensor's feature charts over a range: health with the alert threshold line; for a vibration sensor
 * kurtosis and crest factor, band energies and RMS; for a scalar sensor its mean with a min–max band. The
 * alerts raised on it in the range are marked on every chart at the instant they fired, and their evidence is
 * listed below. Roll-up resolutions keep no kurtosis, crest factor or band energies: the card says so.
 * @param {HTMLElement} parent the card is appended to it before its charts are drawn, which take its width
 * @param {import('../api.js').Sensor} sensor
 * @param {any[]} rows its windows (resolution `window`) or roll-up buckets, oldest first
 * @param {AlertLike[]} alerts its alerts raised in the range
 * @param {Range} range
 * @param {number | null} alertBelow the alert threshold, health 0–100
 * @param {number[] | undefined} bandEdges Hz, from the sensor's spectrum
 */
export function sensorFeatures(parent, sensor, rows, alerts, range, alertBelow, bandEdges) {
  const windows = range.resolution === 'window';
  const box = h(
    'section',
    { class: 'card sensor-features', 'data-sensor': sensor.id, 'aria-label': `features of ${sensor.id}` },
    h('h3', {}, h('strong', {}, `${sensor.id} (${sensor.unit}) — ${range.label}`)),
  );
  parent.append(box);
  const xs = rows.map((r) => (r.windowStart ?? r.bucket) / 1000);
  const col = (/** @type {string} */ key) => rows.map((r) => (typeof r[key] === 'number' ? r[key] : null));
  const markers = alerts.map((a) => ({
    t: a.raisedAt / 1000,
    label: `alert ${clock(a.raisedAt)}`,
    id: a.id,
  }));
  const figures = h('div', { class: 'figures' });
  box.append(figures);

  const health = windows ? col('health') : col('minHealth');
  const threshold =
    alertBelow === null
      ? []
      : [
          {
            label: `alert below ${alertBelow}`,
            values: xs.map(() => alertBelow),
            colour: '#8a5a00',
            dash: [6, 4],
          },
        ];
  chart(
    figures,
    'health',
    `Health (0–100)${windows ? '' : ', lowest per bucket'}${alertBelow === null ? '' : ` · alert below ${alertBelow}`}`,
    {
      xs,
      series: [{ label: windows ? 'health' : 'lowest health', values: health }, ...threshold],
      unit: 'health (0–100)',
      range: [0, 100],
      markers,
    },
  );
  if (sensor.kind === 'vibration') {
    if (windows) {
      chart(figures, 'shape', 'Kurtosis and crest factor (dimensionless)', {
        xs,
        series: [
          { label: 'kurtosis', values: col('kurtosis') },
          { label: 'crest factor', values: col('crestFactor') },
        ],
        unit: 'ratio',
        markers,
      });
      const count = Math.max(0, ...rows.map((r) => r.bandEnergies?.length ?? 0));
      const labels = bandLabels(count, bandEdges);
      chart(figures, 'bands', `Band energies (${sensor.unit})², log scale`, {
        xs,
        series: labels.map((label, i) => ({
          label,
          // A log scale has no place for 0: an empty band is left out.
          values: rows.map((r) => (r.bandEnergies?.[i] > 0 ? r.bandEnergies[i] : null)),
        })),
        unit: `(${sensor.unit})²`,
        log: true,
        markers,
      });
    } else {
      const note = h('figure', { class: 'chart', 'data-chart': 'per-window-only' });
      note.append(
        h(
          'p',
          { class: 'empty' },
          'Kurtosis, crest factor and band energies are kept per window, not in roll-ups: choose 15m or 1h to see them.',
        ),
      );
      figures.append(note);
    }
    chart(figures, 'rms', `RMS (${sensor.unit})`, {
      xs,
      series: [{ label: 'RMS', values: col('rms') }],
      unit: sensor.unit,
      markers,
    });
  } else {
    chart(figures, 'mean', `Mean with min–max band (${sensor.unit})`, {
      xs,
      series: [
        { label: 'max', values: col('max'), colour: '#6a7fa8', width: 1 },
        { label: 'min', values: col('min'), colour: '#6a7fa8', width: 1 },
        { label: 'mean', values: col('mean'), colour: '#1f5fc4', width: 2 },
      ],
      unit: sensor.unit,
      band: [0, 1],
      markers,
    });
  }
  if (alerts.length) {
    box.append(
      h('h4', {}, 'Alert evidence'),
      ...alerts.map((a) => evidenceCard(a, rowAt(rows, a.raisedAt), sensor, alertBelow)),
    );
  }
  return box;
}
