// @ts-check
import { h } from '../dom.js';
// Served from the uplot package at /console/vendor/ (see src/api/console.ts), so not resolvable here.
// @ts-expect-error
import uPlot from '../vendor/uPlot.esm.js';
import { follow, widthOf } from './resize.js';
import { PALETTE } from './time.js';

/**
 * An amplitude spectrum (uPlot, frequency on x from 0 Hz) in `host`, following its width, with the band edges
 * of the window features as thin vertical lines over the plot.
 * @param {HTMLElement} host
 * @param {number} resolutionHz spacing of the bins
 * @param {number[]} amplitude one value per bin, in `unit`
 * @param {string} unit
 * @param {number[]} bandEdgesHz
 */
export function amplitudeChart(host, resolutionHz, amplitude, unit, bandEdgesHz) {
  const hz = amplitude.map((_, i) => i * resolutionHz);
  const layer = h('div', { class: 'markers' });
  const edges = bandEdgesHz.map((edge) => {
    const line = h('div', {
      class: 'marker band-edge',
      'data-band-edge': String(edge),
      title: `band edge ${edge} Hz`,
    });
    layer.append(line);
    return { line, hz: edge };
  });
  /** @param {any} u */
  const place = (u) => {
    for (const e of edges) {
      const x = u.valToPos(e.hz, 'x');
      e.line.hidden = !(x > 0 && x <= u.over.clientWidth);
      e.line.style.left = `${x}px`;
    }
  };
  const height = 220;
  const u = new uPlot(
    {
      width: widthOf(host),
      height,
      scales: { x: { time: false } },
      series: [
        { label: 'Hz', value: (/** @type {any} */ _u, /** @type {number} */ v) => v?.toFixed(1) },
        { label: `amplitude (${unit})`, stroke: PALETTE[0], width: 1 },
      ],
      axes: [{ label: 'frequency (Hz)' }, { size: 64, label: unit, labelSize: 18 }],
      hooks: { ready: [(/** @type {any} */ u) => u.over.append(layer)], draw: [place] },
    },
    /** @type {any} */ ([hz, amplitude]),
    host,
  );
  return follow(u, host, height);
}
