// @ts-check
import { h } from '../dom.js';
// Served from the uplot package at /console/vendor/ (see src/api/console.ts), so not resolvable here.
// @ts-expect-error
import uPlot from '../vendor/uPlot.esm.js';
import { follow, widthOf } from './resize.js';

/** Series colours, each at least 3:1 against white (WCAG 1.4.11 non-text contrast). */
export const PALETTE = [
  '#1f5fc4',
  '#b3261e',
  '#1e7a45',
  '#8a5a00',
  '#6a3fb5',
  '#00737a',
  '#a3366f',
  '#4a5568',
];

/**
 * @typedef {{ label: string, values: (number | null)[], colour?: string, dash?: number[], width?: number, dots?: boolean }} Series
 * @typedef {{ t: number, label: string, id: string }} Marker an instant (epoch s) drawn as a labelled vertical line
 * @typedef {{
 *   xs: number[], series: Series[], unit: string, range?: [number, number], log?: boolean,
 *   band?: [number, number], markers?: Marker[], height?: number
 * }} TimeChartSpec
 */

/**
 * A time chart (uPlot, x in epoch seconds) in `host`, as wide as it and following it. `unit` labels the y axis;
 * `band` fills between two series (indices into `series`, upper first), as a min–max band around a mean;
 * `markers` are instants drawn as dashed vertical lines whose labels stay text over the plot.
 * @param {HTMLElement} host
 * @param {TimeChartSpec} spec
 */
export function timeChart(host, spec) {
  const height = spec.height ?? 200;
  const layer = h('div', { class: 'markers' });
  const placed = (spec.markers ?? []).map((m) => {
    const line = h('div', { class: 'marker alert-marker', 'data-marker': m.id }, h('span', {}, m.label));
    layer.append(line);
    return { line, t: m.t };
  });
  /** @param {any} u */
  const place = (u) => {
    for (const p of placed) {
      const x = u.valToPos(p.t, 'x');
      p.line.hidden = !(x >= 0 && x <= u.over.clientWidth);
      p.line.style.left = `${x}px`;
      // A label near the right edge is written to the left of its line, to stay inside the chart.
      p.line.classList.toggle('flip', x > 0.7 * u.over.clientWidth);
    }
  };
  const xs = spec.xs;
  // The markers' instants widen the x scale, so that an alert at the edge of the data stays in view.
  const times = [...xs, ...placed.map((p) => p.t)];
  const [xMin, xMax] = [Math.min(...times), Math.max(...times)];
  const u = new uPlot(
    {
      width: widthOf(host),
      height,
      series: [
        {},
        ...spec.series.map((s, i) => ({
          label: s.label,
          stroke: s.colour ?? PALETTE[i % PALETTE.length],
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: false,
          ...(s.dots ? { paths: () => null, points: { show: true, size: 5 } } : {}),
        })),
      ],
      bands: spec.band
        ? [{ series: [spec.band[0] + 1, spec.band[1] + 1], fill: 'rgba(31, 95, 196, 0.12)' }]
        : [],
      scales: {
        x: { time: true, range: xMin === xMax ? [xMin - 30, xMax + 30] : [xMin, xMax] },
        y: spec.log ? { distr: 3 } : spec.range ? { range: spec.range } : {},
      },
      axes: [
        {},
        {
          size: 64,
          label: spec.unit,
          labelSize: 18,
          // Powers of ten as 1e-3, not rounded to 0.
          ...(spec.log && {
            values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) =>
              ticks.map((v) => (v == null ? '' : v.toExponential(0))),
          }),
        },
      ],
      hooks: { ready: [(/** @type {any} */ u) => u.over.append(layer)], draw: [place] },
    },
    /** @type {any} */ ([xs, ...spec.series.map((s) => s.values)]),
    host,
  );
  return follow(u, host, height);
}

/** A chart's figure: its caption, then a host for the chart or the empty-range note. @param {string} kind @param {string} caption */
export function figure(kind, caption) {
  const host = h('div', { class: 'chart-host' });
  const fig = h('figure', { class: 'chart', 'data-chart': kind }, h('figcaption', {}, caption), host);
  return { fig, host };
}

/** Says that a chart has nothing to draw over the chosen range. @param {HTMLElement} host @param {string} [text] */
export function noData(host, text = 'no data in this range') {
  host.append(h('p', { class: 'empty', 'data-empty': '' }, text));
}
