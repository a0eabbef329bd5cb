// @ts-check
import { h } from './dom.js';

/** What each ISO 20816-3 evaluation zone means (ISO 20816-3:2022, clause 6.2.2). */
export const ZONE_MEANING = /** @type {Record<string, string>} */ ({
  A: 'newly commissioned machines',
  B: 'unrestricted long-term operation',
  C: 'restricted operation: plan maintenance',
  D: 'damage likely: act now',
});

/**
 * A badge for an ISO 20816-3 zone with its r.m.s. velocity, coloured (A green, B yellow-green, C orange,
 * D red) and spelt out, so that it is read without the colour.
 * @param {string} zone A, B, C or D
 * @param {number | null} velocityRms mm/s
 */
export function zoneBadge(zone, velocityRms) {
  const velocity = velocityRms === null ? '' : ` · ${velocityRms.toFixed(2)} mm/s`;
  return h(
    'span',
    {
      class: `zone zone-${zone}`,
      'data-zone': zone,
      title: `ISO 20816-3 zone ${zone}: ${ZONE_MEANING[zone] ?? 'unknown zone'}`,
    },
    `Zone ${zone}${velocity}`,
  );
}
