// @ts-check
import { follow, widthOf } from '../charts/resize.js';
import { clock, duration, h } from '../dom.js';
// Served from the uplot package at /console/vendor/ (see src/api/console.ts), so not resolvable here.
// @ts-expect-error
import uPlot from '../vendor/uPlot.esm.js';

const HOUR = 3_600_000;

/**
 * "6.5 h (5.9–7.2 h)" for a crossing still ahead; "reached at <time>" for one behind.
 * @param {NonNullable<import('../api.js').Asset['remainingUsefulLife']['alert']>} c
 */
function crossingText(c) {
  if (c.reached) return `reached ${clock(c.at)}`;
  return `in ${duration(c.hoursLeft * HOUR)} (${duration(c.low * HOUR)} – ${duration(c.high * HOUR)}), ${clock(c.at)}`;
}

/**
 * The asset's remaining useful life (GET /v1/assets/{id} `remainingUsefulLife`): the time left to the alert and
 * failure lines with their interval, or the plain reason there is none, and a chart of the fitted health
 * points, the fitted trend and both lines.
 * @param {import('../api.js').Asset['remainingUsefulLife']} rul
 * @returns {HTMLElement}
 */
export function rulPanel(rul) {
  const box = h('div', { class: 'card', id: 'rul', 'data-status': rul.status });
  const sensor = rul.sensorId ? ` on ${rul.sensorId}` : '';
  const { alert, failure } = rul;
  // Both lines are there exactly when estimated or below-threshold.
  if ((rul.status === 'estimated' || rul.status === 'below-threshold') && alert && failure) {
    box.append(
      h('div', { 'data-line': 'alert' }, `Alert line (health ${alert.threshold}): ${crossingText(alert)}`),
      h(
        'div',
        { 'data-line': 'failure' },
        `Failure line (health ${failure.threshold}): ${crossingText(failure)}`,
      ),
    );
  }
  if (rul.reason) box.append(h('div', { 'data-reason': '' }, `No estimate${sensor}: ${rul.reason}.`));
  const fitted = rul.fittedOn
    ? `fitted on ${rul.fittedOn.points} points from ${clock(rul.fittedOn.from)} to ${clock(rul.fittedOn.to)}`
    : `${rul.points.length} points since health left 100`;
  box.append(
    h(
      'p',
      { class: 'muted' },
      `${rul.model} degradation model${sensor}, ${Math.round(rul.confidence * 100)} % intervals; ${fitted}; ` +
        `history: last ${rul.lookbackHours} h (${rul.source === 'windows' ? 'windows' : `${rul.source} roll-ups`})`,
    ),
  );
  if (rul.points.length > 0) {
    const chart = h('div', { class: 'rul-chart' });
    box.append(chart);
    requestAnimationFrame(() => drawChart(chart, rul));
  }
  return box;
}

/**
 * Fitted points as dots, the trend as a line, the alert and failure lines flat.
 * @param {HTMLElement} el @param {import('../api.js').Asset['remainingUsefulLife']} rul
 */
function drawChart(el, rul) {
  const times = [...new Set([...rul.points, ...rul.trend].map((p) => p.t))].sort((a, b) => a - b);
  const at = (/** @type {{t: number, health: number}[]} */ list) => {
    const byTime = new Map(list.map((p) => [p.t, p.health]));
    return times.map((t) => byTime.get(t) ?? null);
  };
  const alertLine = rul.alert?.threshold ?? null;
  const failureLine = rul.failure?.threshold ?? null;
  const data = [
    times.map((t) => t / 1000),
    at(rul.points),
    at(rul.trend),
    times.map(() => alertLine),
    times.map(() => failureLine),
  ];
  const host = h('div', { class: 'chart-host' });
  el.append(host);
  const u = new uPlot(
    {
      width: widthOf(host),
      height: 220,
      scales: { y: { range: [0, 100] } },
      series: [
        {},
        { label: 'health', stroke: '#2f6fde', paths: () => null, points: { show: true, size: 5 } },
        { label: 'trend', stroke: '#d64545', width: 1.5, spanGaps: true },
        { label: 'alert line', stroke: '#d9a21b', dash: [6, 4] },
        { label: 'failure line', stroke: '#a33', dash: [2, 3] },
      ],
      axes: [{}, { size: 50 }],
    },
    data,
    host,
  );
  follow(u, host, 220);
}
