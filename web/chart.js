// @ts-check
// Served from the uplot package at /console/vendor/ (see src/api/console.ts), so not resolvable here.
// @ts-expect-error
import uPlot from './vendor/uPlot.esm.js';

const COLOURS = ['#2f6fde', '#d64545', '#2e9e5b', '#d9a21b'];

/**
 * A time-series line chart (uPlot) sized to its container.
 * @param {HTMLElement} container
 * @param {number[][]} data x (epoch seconds) then one array per series
 * @param {string[]} labels
 * @param {{ height?: number, percent?: boolean }} [options]
 */
export function lineChart(container, data, labels, options = {}) {
  const width = Math.max(300, container.clientWidth - 24);
  return new uPlot(
    {
      width,
      height: options.height ?? 220,
      series: [{}, ...labels.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length], width: 1.5 }))],
      axes: [{}, { size: 60 }],
      scales: options.percent ? { y: { range: [0, 1] } } : {},
    },
    /** @type {any} */ (data),
    container,
  );
}
