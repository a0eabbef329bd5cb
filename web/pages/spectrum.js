// @ts-check
import { ApiError, getSensorSpectrum } from '../api.js';
import { amplitudeChart } from '../charts/frequency.js';
import { figure, noData } from '../charts/time.js';
import { clock, h } from '../dom.js';
import { num } from './asset-features.js';

/**
 * A vibration sensor's latest spectrum (GET /v1/sensors/{id}/spectrum) drawn into `box`: the amplitude per
 * frequency of its latest sample block, with the block's time, rate and dominant frequency, and the band edges
 * the band energies are summed over. Resolves to those edges (Hz), or undefined when the sensor has no block.
 * @param {import('../api.js').Sensor} sensor
 * @param {HTMLElement} box filled in place
 * @returns {Promise<number[] | undefined>}
 */
export async function spectrumCard(sensor, box) {
  box.replaceChildren(h('h3', {}, h('strong', {}, `${sensor.id} (${sensor.unit})`)));
  const { fig, host } = figure('spectrum', `Amplitude spectrum of the latest block (${sensor.unit}, peak)`);
  if (!sensor.lastReadingAt) {
    // Nothing to ask for: the sensor has sent nothing yet.
    box.append(fig);
    noData(host, 'no spectrum: no sample block yet');
    return undefined;
  }
  let spectrum;
  try {
    spectrum = await getSensorSpectrum(sensor.id);
  } catch (err) {
    // 404: no block in the last day; 409: a block too short. Both are states of the data, not faults.
    if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 409)) throw err;
    box.append(fig);
    noData(host, `no spectrum: ${err.message}`);
    return undefined;
  }
  box.append(
    h(
      'div',
      { class: 'muted', 'data-spectrum-facts': '' },
      `latest block ${clock(spectrum.ts)} · ${spectrum.samples} samples at ${spectrum.rateHz} Hz · ` +
        `${num(spectrum.resolutionHz)} Hz per bin · dominant ${spectrum.dominantHz === null ? '—' : `${num(spectrum.dominantHz)} Hz`}`,
    ),
    fig,
    h(
      'div',
      { class: 'muted' },
      `Band energies are summed over ${spectrum.bandEdgesHz
        .slice(0, -1)
        .map((/** @type {number} */ e, /** @type {number} */ i) => `${e}–${spectrum.bandEdgesHz[i + 1]}`)
        .join(', ')} Hz (dotted lines).`,
    ),
  );
  amplitudeChart(host, spectrum.resolutionHz, spectrum.amplitude, sensor.unit, spectrum.bandEdgesHz);
  return spectrum.bandEdgesHz;
}
