// @ts-check
import { clock, h } from '../dom.js';
import { num } from './asset-features.js';

/** @typedef {import('../api.js').WorkOrder} WorkOrder @typedef {import('../api.js').Transition} Transition */

/** The moves the board offers from each status (the API refuses the others with 409). */
export const MOVES = /** @type {Record<string, [Transition['to'], string][]>} */ ({
  open: [
    ['assigned', 'Assign'],
    ['cancelled', 'Cancel'],
  ],
  assigned: [
    ['in_progress', 'Start'],
    ['open', 'Hand back'],
    ['cancelled', 'Cancel'],
  ],
  in_progress: [
    ['done', 'Close'],
    ['assigned', 'Pause'],
    ['cancelled', 'Cancel'],
  ],
  done: [],
  cancelled: [],
});

/**
 * What closing an order may find, as the API takes it in `confirmedCause` (src/domain/work-orders.ts
 * CONFIRMED_CAUSE_CHOICES; test/console-findings.test.ts keeps both the same). `other:` is followed by words.
 */
export const FINDINGS = /** @type {const} */ ([
  ['outer-race', 'Outer-race defect'],
  ['inner-race', 'Inner-race defect'],
  ['rolling-element', 'Rolling-element defect'],
  ['cage', 'Cage defect'],
  ['imbalance', 'Imbalance'],
  ['misalignment', 'Misalignment'],
  ['looseness', 'Looseness'],
  ['other:', 'Other cause (in words)'],
  ['no-fault-found', 'No fault found'],
]);

/** How a card states a done order's finding. @param {string | null} cause */
function findingText(cause) {
  if (cause === null) return 'Finding not stated';
  if (cause.startsWith('other:')) return `Found: ${cause.slice('other:'.length)}`;
  const title = FINDINGS.find(([value]) => value === cause)?.[1] ?? cause;
  return cause === 'no-fault-found' ? title : `Found: ${title.toLowerCase()}`;
}

/**
 * The alert an order was opened for, as its evidence: severity, health and anomaly score when it was raised,
 * cause, sensor and message; or that it was opened by hand.
 * @param {WorkOrder} order
 */
function alertEvidence(order) {
  const alert = order.alert;
  if (!alert) return h('div', { class: 'muted', 'data-by-hand': '' }, 'Opened by hand');
  return h(
    'div',
    { class: 'order-alert', 'data-alert-of': order.id },
    h('span', { class: `pill ${alert.severity}` }, alert.severity),
    ` alert ${clock(alert.raisedAt)} on ${alert.sensorId}`,
    h(
      'dl',
      { class: 'evidence' },
      h('dt', {}, 'health'),
      h('dd', { 'data-field': 'health' }, `${num(alert.health)} / 100`),
      h('dt', {}, 'score'),
      h('dd', { 'data-field': 'score' }, num(alert.score)),
      h('dt', {}, 'cause'),
      h('dd', { 'data-field': 'cause' }, alert.cause),
    ),
    h('div', { class: 'alert-message' }, alert.message),
  );
}

/**
 * One work order's card: title, asset (a link to its page), site, line, priority, assignee, the alert's
 * evidence, the finding once done, and for a technician the moves its status allows.
 * @param {WorkOrder} order
 * @param {{ canWrite: boolean, move: (order: WorkOrder, to: Transition['to']) => void, findingInputs: (id: string) => HTMLElement }} board
 */
export function orderCard(order, board) {
  const moves = MOVES[order.status] ?? [];
  return h(
    'article',
    { class: 'order', 'data-order': order.id, 'aria-label': order.title },
    h('strong', {}, order.title),
    h(
      'div',
      { class: 'muted' },
      h('a', { href: `#/asset/${encodeURIComponent(order.assetId)}` }, order.assetId),
      ` · ${[order.siteId, order.lineId].filter(Boolean).join(' · ')}${order.siteId ? ' · ' : ''}${clock(order.createdAt)}`,
    ),
    h('span', { class: `pill ${order.priority}` }, order.priority),
    order.assignee ? h('span', { class: 'muted' }, ` · ${order.assignee}`) : null,
    alertEvidence(order),
    order.status === 'done'
      ? h('div', { class: 'finding', 'data-finding-of': order.id }, findingText(order.confirmedCause))
      : null,
    board.canWrite && moves.length
      ? h(
          'div',
          { class: 'actions' },
          order.status === 'open'
            ? h('input', {
                'data-assignee': order.id,
                placeholder: 'assignee',
                'aria-label': `assignee of ${order.title}`,
                size: '10',
              })
            : null,
          order.status === 'in_progress' ? board.findingInputs(order.id) : null,
          ...moves.map(([to, label]) =>
            h(
              'button',
              {
                type: 'button',
                class: to === 'cancelled' ? 'secondary' : '',
                'data-move': to,
                'aria-label': `${label}: ${order.title}`,
                onclick: () => board.move(order, to),
              },
              label,
            ),
          ),
        )
      : null,
  );
}
