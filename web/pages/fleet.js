// @ts-check
import { listAlerts, listAssets } from '../api.js';
import { every, h, healthClass, healthState, lastReadingText } from '../dom.js';
import { zoneBadge } from '../zone.js';

/** Space follows a link as Enter does, so that cards act like the buttons they look like. @param {KeyboardEvent} event */
export function spaceClicks(event) {
  if (event.key !== ' ') return;
  event.preventDefault();
  /** @type {HTMLElement} */ (event.currentTarget).click();
}

/** The stale sensors of a listed asset, by id. @param {import('../api.js').AssetSummary} asset */
const staleSensors = (asset) => (asset.sensors ?? []).filter((s) => s.stale && !s.retiredAt).map((s) => s.id);

/** One asset's card: health with its scale and state, where it is, its last reading, stale, zone, alerts. @param {import('../api.js').AssetSummary} asset @param {number} alerts */
function assetCard(asset, alerts) {
  const stale = staleSensors(asset);
  return h(
    'a',
    {
      class: `card asset ${healthClass(asset.health)}${asset.stale ? ' stale' : ''}`,
      href: `#/asset/${encodeURIComponent(asset.id)}`,
      'data-asset': asset.id,
      onkeydown: /** @type {any} */ (spaceClicks),
    },
    h('div', { class: 'state-label' }, 'Health (0–100)'),
    h(
      'div',
      { class: 'health', 'data-health': asset.health === null ? '' : String(Math.round(asset.health)) },
      asset.health === null ? '—' : String(Math.round(asset.health)),
      h('span', { class: 'scale' }, ' / 100 '),
      h('span', { class: 'state', 'data-state': healthClass(asset.health) }, healthState(asset.health)),
    ),
    h('strong', {}, asset.name),
    h('div', { class: 'muted' }, `${asset.kind} · ${asset.lineId} · ${asset.siteId}`),
    h(
      'div',
      { class: 'muted', 'data-last-reading': asset.lastReadingAt ?? '' },
      lastReadingText(asset.lastReadingAt),
    ),
    asset.stale
      ? h(
          'span',
          { class: 'pill stale', 'data-stale': '', title: `silent: ${stale.join(', ')}` },
          stale.length ? `Stale: ${stale.length} silent sensor${stale.length > 1 ? 's' : ''}` : 'Stale',
        )
      : null,
    asset.severity ? zoneBadge(asset.severity.zone, asset.severity.velocityRms) : null,
    alerts ? h('span', { class: 'pill warning' }, `${alerts} active alert(s)`) : null,
  );
}

/**
 * Fleet overview: one card per asset, worst health first, coloured by its health state and saying it in words,
 * with its last reading, "stale" when a sensor has been silent too long (the API's `stale`), its ISO 20816-3
 * vibration zone and its active alerts; refreshed every 5 s.
 */
export async function fleetPage(/** @type {HTMLElement} */ view) {
  const grid = h('div', { class: 'grid', id: 'fleet' });
  const summary = h('p', { class: 'muted', id: 'fleet-summary' });
  view.append(h('h1', {}, 'Fleet'), summary, grid);
  const draw = async () => {
    const [{ items }, alerts] = await Promise.all([
      listAssets({ sort: 'health' }),
      listAlerts({ status: 'active', limit: 1000 }),
    ]);
    const active = new Map();
    for (const a of alerts.items) active.set(a.assetId, (active.get(a.assetId) ?? 0) + 1);
    const stale = items.filter((a) => a.stale).length;
    summary.textContent = `${items.length} assets · ${alerts.items.length} active alerts · ${stale} stale`;
    // Keeps keyboard focus on the same card across the redraw.
    const focused = document.activeElement?.getAttribute('data-asset');
    grid.replaceChildren(...items.map((asset) => assetCard(asset, active.get(asset.id) ?? 0)));
    if (focused)
      /** @type {HTMLElement | null} */ (
        grid.querySelector(`[data-asset="${CSS.escape(focused)}"]`)
      )?.focus();
  };
  await draw();
  return every(draw, 5000);
}
