// @ts-check
import { follow, widthOf } from './charts/resize.js';
import { PALETTE } from './charts/time.js';
// Served from the uplot package at /console/vendor/ (see src/api/console.ts), so not resolvable here.
// @ts-expect-error
import uPlot from './vendor/uPlot.esm.js';

const COLOURS = PALETTE;

/** A host for a chart inside `container`, which may have padding: the chart takes the host's width. @param {HTMLElement} container */
function hostIn(container) {
  const host = document.createElement('div');
  host.className = 'chart-host';
  container.append(host);
  return host;
}

/**
 * A time-series line chart (uPlot) as wide as its container, following its width.
 * @param {HTMLElement} container
 * @param {(number | null)[][]} data x (epoch seconds) then one array per series
 * @param {string[]} labels
 * @param {{ height?: number, percent?: boolean }} [options]
 */
export function lineChart(container, data, labels, options = {}) {
  const host = hostIn(container);
  const height = options.height ?? 220;
  const u = new uPlot(
    {
      width: widthOf(host),
      height,
      series: [{}, ...labels.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length], width: 1.5 }))],
      axes: [{}, { size: 60 }],
      scales: options.percent ? { y: { range: [0, 1] } } : {},
    },
    /** @type {any} */ (data),
    host,
  );
  return follow(u, host, height);
}

/** Colour of each bearing defect's markers. */
const DEFECT_COLOURS = /** @type {Record<string, string>} */ ({
  bpfo: '#b3261e',
  bpfi: '#1f5fc4',
  rollingElement: '#1e7a45',
  ftf: '#8a5a00',
});
const DEFECT_ROWS = ['bpfo', 'bpfi', 'rollingElement', 'ftf'];

/** @typedef {{ bearing: string, defect: string, label: string, harmonic: number, hz: number }} Marker */

/**
 * An envelope spectrum (uPlot, frequency on x) with a vertical line at each defect frequency. The lines are
 * elements over the plot rather than canvas strokes, so their labels stay text: "BPFO 107.4 Hz" on a
 * fundamental, "2× BPFO" on a harmonic, whose line is drawn lighter. Each defect keeps its own label row.
 * @param {HTMLElement} container
 * @param {number} resolutionHz spacing of the amplitude bins, from 0 Hz
 * @param {number[]} amplitude one value per bin, in `unit`
 * @param {Marker[]} markers
 * @param {string} unit
 */
export function spectrumChart(container, resolutionHz, amplitude, markers, unit) {
  const hz = amplitude.map((_, i) => i * resolutionHz);
  const host = hostIn(container);
  const layer = document.createElement('div');
  layer.className = 'markers';
  const placed = markers.map((m) => {
    const line = document.createElement('div');
    line.className = m.harmonic === 1 ? 'marker' : 'marker harmonic';
    line.dataset.defect = m.defect;
    line.dataset.harmonic = String(m.harmonic);
    const colour = DEFECT_COLOURS[m.defect] ?? '#4a5568';
    // Harmonics' lines are drawn lighter (40 % alpha); every label keeps its full colour, to stay readable.
    line.style.borderLeftColor = m.harmonic === 1 ? colour : `${colour}66`;
    const label = document.createElement('span');
    label.textContent = m.harmonic === 1 ? `${m.label} ${m.hz.toFixed(1)} Hz` : `${m.harmonic}× ${m.label}`;
    label.style.color = colour;
    label.style.top = `${Math.max(0, DEFECT_ROWS.indexOf(m.defect)) * 15}px`;
    label.title = `${m.bearing}: ${m.harmonic}× ${m.label} = ${m.hz.toFixed(2)} Hz`;
    line.append(label);
    layer.append(line);
    return { line, hz: m.hz };
  });
  /** @param {any} u */
  const place = (u) => {
    const plotWidth = u.over.clientWidth;
    for (const p of placed) {
      const x = u.valToPos(p.hz, 'x');
      p.line.hidden = !(x >= 0 && x <= plotWidth);
      p.line.style.left = `${x}px`;
    }
  };
  const u = new uPlot(
    {
      width: widthOf(host),
      height: 240,
      scales: { x: { time: false } },
      series: [
        { label: 'Hz', value: (/** @type {any} */ _u, /** @type {number} */ v) => v?.toFixed(2) },
        { label: `envelope (${unit})`, stroke: COLOURS[0], width: 1 },
      ],
      axes: [{ label: 'frequency (Hz)' }, { size: 60 }],
      hooks: {
        ready: [(/** @type {any} */ u) => u.over.append(layer)],
        draw: [place],
      },
    },
    /** @type {any} */ ([hz, amplitude]),
    host,
  );
  return follow(u, host, 240);
}
