// @ts-check
import { getDailyKpis, getKpis, listAssets, listLines, listSites } from '../api.js';
import { lineChart } from '../chart.js';
import { duration, h, percent } from '../dom.js';

const DAY = 86_400_000;

/** The scope of an option's value `kind=id`. @param {string} value @returns {import('../api.js').KpiScope} */
function scopeOf(value) {
  const at = value.indexOf('=');
  const [kind, id] = [value.slice(0, at), value.slice(at + 1)];
  return kind === 'site' ? { site: id } : kind === 'line' ? { line: id } : { asset: id };
}

/** KPIs of a site, line or asset: MTBF, MTTR and OEE over a range, and per day as charts. */
export async function kpiPage(/** @type {HTMLElement} */ view) {
  const [sites, lines, assets] = await Promise.all([listSites(), listLines(), listAssets({ sort: 'name' })]);
  const options = [
    ...sites.items.map((s) => ['site', s.id, `Site ${s.name}`]),
    ...lines.items.map((l) => ['line', l.id, `Line ${l.name}`]),
    ...assets.items.map((a) => ['asset', a.id, a.name]),
  ];
  const scope = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'scope', 'aria-label': 'scope' },
      ...options.map(([kind, id, label]) => h('option', { value: `${kind}=${id}` }, label)),
    )
  );
  const days = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'days', 'aria-label': 'days' },
      ...[7, 30, 90].map((d) => h('option', { value: String(d) }, `last ${d} days`)),
    )
  );
  days.value = '30';
  const cards = h('div', { class: 'kpis', id: 'kpi-cards' });
  const charts = h('div', { class: 'charts', id: 'kpi-charts' });
  view.append(
    h('h1', {}, 'KPIs'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Scope', scope), h('label', {}, 'Range', days)),
    cards,
    charts,
  );

  const draw = async () => {
    const to = Date.now();
    const from = to - Number(days.value) * DAY;
    const chosen = scopeOf(scope.value);
    const [k, daily] = await Promise.all([getKpis(chosen, from, to), getDailyKpis(chosen, from, to)]);
    const card = (/** @type {string} */ label, /** @type {string} */ value, /** @type {string} */ key) =>
      h(
        'div',
        { class: 'card kpi', 'data-kpi': key },
        h('div', { class: 'muted' }, label),
        h('div', { class: 'value' }, value),
      );
    cards.replaceChildren(
      card('OEE', percent(k.oee), 'oee'),
      card('Availability', percent(k.availability), 'availability'),
      card('Performance', percent(k.effectiveness), 'effectiveness'),
      card('Quality', percent(k.quality), 'quality'),
      card('MTBF', duration(k.mtbfMs), 'mtbf'),
      card('MTTR', duration(k.mttrMs), 'mttr'),
      card('Failures', String(k.failures), 'failures'),
      card('Open repairs', String(k.openRepairs), 'open-repairs'),
    );
    const xs = daily.items.map((d) => Date.parse(d.day) / 1000);
    const series = (
      /** @type {'oee' | 'availability' | 'effectiveness' | 'quality' | 'mtbfMs' | 'mttrMs'} */ key,
    ) => daily.items.map((d) => d[key]);
    const ratios = h(
      'div',
      { class: 'card' },
      h('strong', {}, 'OEE, availability, performance, quality per day'),
    );
    const times = h('div', { class: 'card' }, h('strong', {}, 'MTBF and MTTR per day (hours)'));
    charts.replaceChildren(ratios, times);
    lineChart(
      ratios,
      [xs, series('oee'), series('availability'), series('effectiveness'), series('quality')],
      ['OEE', 'availability', 'performance', 'quality'],
      { percent: true },
    );
    const hours = (/** @type {'mtbfMs' | 'mttrMs'} */ key) =>
      series(key).map((/** @type {number | null} */ v) => (v === null ? null : v / 3_600_000));
    lineChart(times, [xs, hours('mtbfMs'), hours('mttrMs')], ['MTBF', 'MTTR']);
  };
  scope.addEventListener('change', () => draw());
  days.addEventListener('change', () => draw());
  await draw();
  return () => {};
}
