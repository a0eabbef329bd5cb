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

/** Colour of each bearing defect's markers. */
const DEFECT_COLOURS = /** @type {Record<string, string>} */ ({
  bpfo: '#d64545',
  bpfi: '#2f6fde',
  rollingElement: '#2e9e5b',
  ftf: '#b07d00',
});
const DEFECT_ROWS = ['bpfo', 'bpfi', 'rollingElement', 'ftf'];

/** @typedef {{ bearing: string, defect: string, label: string, harmonic: number, hz: number }} Marker */

/**
 * An envelope spectrum (uPlot, frequency on x) with a vertical line at each defect frequency. The lines are
 * elements over the plot rather than canvas strokes, so their labels stay text: "BPFO 107.4 Hz" on a
 * fundamental, "2× BPFO" on a harmonic, drawn lighter. Each defect keeps its own label row.
 * @param {HTMLElement} container
 * @param {number} resolutionHz spacing of the amplitude bins, from 0 Hz
 * @param {number[]} amplitude one value per bin, in `unit`
 * @param {Marker[]} markers
 * @param {string} unit
 */
export function spectrumChart(container, resolutionHz, amplitude, markers, unit) {
  const hz = amplitude.map((_, i) => i * resolutionHz);
  const width = Math.max(300, container.clientWidth - 24);
  const layer = document.createElement('div');
  layer.className = 'markers';
  const placed = markers.map((m) => {
    const line = document.createElement('div');
    line.className = m.harmonic === 1 ? 'marker' : 'marker harmonic';
    line.dataset.defect = m.defect;
    line.dataset.harmonic = String(m.harmonic);
    line.style.borderLeftColor = DEFECT_COLOURS[m.defect] ?? '#6b7385';
    const label = document.createElement('span');
    label.textContent = m.harmonic === 1 ? `${m.label} ${m.hz.toFixed(1)} Hz` : `${m.harmonic}× ${m.label}`;
    label.style.color = DEFECT_COLOURS[m.defect] ?? '#6b7385';
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
  return new uPlot(
    {
      width,
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
    container,
  );
}
