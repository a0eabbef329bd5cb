// @ts-check
import { getSensorEnvelope, listBearings } from '../api.js';
import { spectrumChart } from '../chart.js';
import { clock, h } from '../dom.js';
import { zoneBadge } from '../zone.js';

/** @typedef {import('../api.js').Asset} Asset */

/** ISO 20816-3 machine groups (clause 5.2). */
const GROUPS = /** @type {Record<number, string>} */ ({
  1: 'group 1: rated power above 300 kW',
  2: 'group 2: rated power 15–300 kW',
});

/** @param {number} hz */
const speedText = (hz) => `${(hz * 60).toFixed(0)} rpm (${hz.toFixed(2)} Hz)`;

/** @param {number} v a length in mm, to the micrometre (catalogue sizes are converted from inches) */
const mm = (v) => String(Number(v.toFixed(3)));

/** @param {number} v evidence values: counts as they are, measures to 4 significant digits */
const evidenceValue = (v) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4))));

/**
 * How the machine model says the speed is known, with the speed seen last where the page has it.
 * @param {any} speed the asset's `machine.speed` (its variants are stated with if/then, which the generated types do not carry)
 * @param {Asset['latestFeatures']} latest latest window per sensor id
 */
function speedSetting(speed, latest) {
  if (speed.source === 'fixed') return `${speedText(speed.rpm / 60)}, fixed`;
  if (speed.source === 'sensor') {
    const rpm = latest[speed.sensorId]?.mean;
    const seen = typeof rpm === 'number' ? `, last window's mean ${rpm.toFixed(0)} rpm` : '';
    return `from speed sensor ${speed.sensorId}${seen}`;
  }
  return `estimated per block from the 1× peak in ${speed.minHz}–${speed.maxHz} Hz`;
}

/**
 * The machine model: speed and its source, ISO 20816-3 class, and each vibration sensor's bearings with their
 * geometry (given, or from the catalogue GET /v1/bearings).
 * @param {Asset} asset GET /v1/assets/{id}
 */
export async function machinePanel(asset) {
  const panel = h('div', { class: 'card', id: 'machine' });
  const machine = asset.machine;
  if (!machine) {
    panel.append(h('p', { class: 'muted' }, 'No machine model registered: vibration is not diagnosed.'));
    return panel;
  }
  const catalogue = new Map((await listBearings()).items.map((b) => [b.designation, b]));
  const severity = machine.severity;
  const bounds = severity?.boundaries
    ? ` · zone boundaries ${Object.entries(severity.boundaries)
        .map(([k, v]) => `${k.toUpperCase()} ${v} mm/s`)
        .join(', ')}`
    : '';
  panel.append(
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Speed'),
      h(
        'dd',
        { 'data-speed-source': machine.speed.source },
        speedSetting(machine.speed, asset.latestFeatures),
      ),
      h('dt', {}, 'ISO 20816-3'),
      h(
        'dd',
        { 'data-severity-class': '' },
        severity
          ? `${GROUPS[severity.group] ?? `group ${severity.group}`}, ${severity.foundation} foundation${bounds}`
          : 'no machine class: velocity zones are not judged',
      ),
    ),
  );
  const rows = asset.sensors
    .filter((s) => s.kind === 'vibration' && !s.retiredAt)
    .flatMap((s) =>
      (s.bearings ?? []).map((b) => {
        const g = b.geometry ?? catalogue.get(b.designation)?.geometry;
        const geometry = g
          ? `Z ${g.rollingElements} · d ${mm(g.ballDiameterMm)} mm · D ${mm(g.pitchDiameterMm)} mm · φ ${g.contactAngleDeg}°`
          : '—';
        const source = b.geometry ? 'given' : (catalogue.get(b.designation)?.source ?? '—');
        return h(
          'tr',
          { 'data-bearing': b.designation },
          h('td', {}, s.id),
          h('td', {}, b.designation),
          h('td', {}, b.location ?? '—'),
          h('td', {}, geometry),
          h('td', { class: 'muted' }, source),
        );
      }),
    );
  panel.append(
    rows.length
      ? h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['sensor', 'bearing', 'location', 'geometry', 'geometry from'].map((t) => h('th', {}, t)),
            ),
          ),
          h('tbody', {}, ...rows),
        )
      : h('p', { class: 'muted' }, 'No bearing registered on its vibration sensors.'),
  );
  return panel;
}

/**
 * One vibration sensor: the envelope spectrum of its latest block with the defect-frequency markers, the band
 * and speed used, and, from its latest window, the r.m.s. velocity with its ISO 20816-3 zone and the named
 * diagnoses with their evidence.
 * @param {import('../api.js').Sensor} sensor
 * @param {Asset['latestFeatures'][string] | undefined} latest the sensor's latest window (GET /v1/assets/{id} latestFeatures), if any
 * @param {HTMLElement} box filled in place
 */
export async function vibrationCard(sensor, latest, box) {
  box.replaceChildren(
    h('strong', {}, `${sensor.id} (${sensor.unit}${sensor.axis ? `, ${sensor.axis}` : ''})`),
  );
  const facts = h('div', { class: 'facts-line' });
  box.append(facts);
  if (latest?.severityZone) facts.append(zoneBadge(latest.severityZone, latest.velocityRms ?? null), ' ');
  else if (typeof latest?.velocityRms === 'number') {
    facts.append(h('span', { class: 'muted' }, `velocity ${latest.velocityRms.toFixed(2)} mm/s `));
  }
  if (!sensor.lastReadingAt) {
    box.append(h('p', { class: 'muted' }, 'No envelope spectrum: no sample block yet.'));
    return;
  }
  let view;
  try {
    view = await getSensorEnvelope(sensor.id);
  } catch (err) {
    box.append(h('p', { class: 'muted' }, `No envelope spectrum: ${/** @type {Error} */ (err).message}`));
    return;
  }
  const speed = view.speed
    ? view.speed.hz === null
      ? `speed unknown (${view.speed.reason ?? view.speed.source})`
      : `speed ${speedText(view.speed.hz)}, ${view.speed.source}`
    : 'no machine model: no speed, no markers';
  facts.append(
    h(
      'span',
      { class: 'muted', 'data-envelope-facts': '' },
      `latest block ${clock(view.ts)} · ${speed} · band ${view.band.lowHz.toFixed(0)}–${view.band.highHz.toFixed(0)} Hz (${view.band.chosenBy})`,
    ),
  );
  const chart = h('div', { class: 'spectrum', 'data-envelope': sensor.id });
  box.append(chart);
  spectrumChart(chart, view.resolutionHz, view.amplitude, view.markers, sensor.unit);
  // GET /v1/assets/{id} documents the latest window's diagnostics loosely; they are the windows' diagnostics
  // that GET /v1/assets/{id}/features documents in full.
  const diagnostics = /** @type {import('../api.js').FeatureWindow['diagnostics']} */ (latest?.diagnostics);
  const diagnoses = diagnostics?.diagnoses ?? [];
  const span = latest ? `latest window ${clock(latest.windowStart)}–${clock(latest.windowEnd)}` : '';
  box.append(
    diagnoses.length
      ? h(
          'ul',
          { class: 'diagnoses' },
          ...diagnoses.map((d) =>
            h(
              'li',
              { 'data-fault': d.fault },
              h('strong', {}, d.fault),
              d.bearing
                ? ` on ${d.bearing.designation}${d.bearing.location ? ` (${d.bearing.location})` : ''}`
                : '',
              h(
                'span',
                { class: 'muted' },
                ` · confidence ${(d.confidence * 100).toFixed(0)} % · ${d.blocks} of ${diagnostics?.blocks} blocks`,
              ),
              h('div', {}, d.message),
              h(
                'dl',
                { class: 'evidence' },
                ...Object.entries(d.evidence).flatMap(([k, v]) => [
                  h('dt', {}, k),
                  h('dd', {}, evidenceValue(/** @type {number} */ (v))),
                ]),
              ),
            ),
          ),
        )
      : h(
          'p',
          { class: 'muted', 'data-no-fault': '' },
          latest ? `No fault named in the ${span}.` : 'No window yet.',
        ),
  );
  if (diagnoses.length) box.append(h('div', { class: 'muted' }, `Diagnoses of the ${span}.`));
}
