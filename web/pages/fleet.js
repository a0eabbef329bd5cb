// @ts-check
import { get } from '../api.js';
import { every, h, healthClass } from '../dom.js';
import { zoneBadge } from '../zone.js';

/**
 * Fleet overview: one card per asset, coloured by health, worst first, with its ISO 20816-3 vibration zone and
 * velocity where it has one; refreshed every 5 s.
 */
export async function fleetPage(/** @type {HTMLElement} */ view) {
  const grid = h('div', { class: 'grid', id: 'fleet' });
  const summary = h('p', { class: 'muted' });
  view.append(h('h1', {}, 'Fleet'), summary, grid);
  const draw = async () => {
    /** @type {{ items: any[] }} */
    const { items } = await get('/v1/assets?sort=health&limit=1000');
    const alerts = await get('/v1/alerts?status=active&limit=1000');
    const active = new Map();
    for (const a of alerts.items) active.set(a.assetId, (active.get(a.assetId) ?? 0) + 1);
    summary.textContent = `${items.length} assets · ${alerts.items.length} active alerts`;
    grid.replaceChildren(
      ...items.map((asset) =>
        h(
          'a',
          {
            class: `card asset ${healthClass(asset.health)}`,
            href: `#/asset/${encodeURIComponent(asset.id)}`,
            'data-asset': asset.id,
          },
          h('div', { class: 'health' }, asset.health === null ? '—' : String(Math.round(asset.health))),
          h('strong', {}, asset.name),
          h('div', { class: 'muted' }, `${asset.kind} · ${asset.lineId} · ${asset.siteId}`),
          asset.severity ? zoneBadge(asset.severity.zone, asset.severity.velocityRms) : null,
          active.get(asset.id)
            ? h('span', { class: 'pill warning' }, `${active.get(asset.id)} active alert(s)`)
            : null,
        ),
      ),
    );
  };
  await draw();
  return every(draw, 5000);
}
