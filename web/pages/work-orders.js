// @ts-check
import {
  ApiError,
  createWorkOrder,
  listAllWorkOrders,
  listAssets,
  listLines,
  listSites,
  transitionWorkOrder,
} from '../api.js';
import { every, h } from '../dom.js';
import { FINDINGS, orderCard } from './work-order-card.js';

/** @typedef {import('../api.js').Transition} Transition */

const COLUMNS = /** @type {const} */ ([
  ['open', 'Open'],
  ['assigned', 'Assigned'],
  ['in_progress', 'In progress'],
  ['done', 'Done'],
  ['cancelled', 'Cancelled'],
]);
const PRIORITIES = ['low', 'medium', 'high', 'urgent'];
/** Statuses whose orders are all shown, and how many at most; done and cancelled show their newest. */
const ACTIVE = new Set(['open', 'assigned', 'in_progress']);
const ACTIVE_MOST = 10_000;
const CLOSED_SHOWN = 100;

/** A labelled select of `choices` ([value, text]) after an "all" option. @param {string} label @param {string} name @param {string[][]} choices */
function filterSelect(label, name, choices) {
  const select = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { name, 'data-filter': name },
      h('option', { value: '' }, `all`),
      ...choices.map(([value, text]) => h('option', { value }, text)),
    )
  );
  return { select, field: h('label', {}, label, select) };
}

/** The board's filters: site, line (of the chosen site), priority and state. @param {() => void} changed */
async function filters(changed) {
  const [sites, lines] = await Promise.all([listSites(), listLines()]);
  const site = filterSelect(
    'Site',
    'site',
    sites.items.map((s) => [s.id, s.name]),
  );
  const line = filterSelect('Line', 'line', []);
  const showLines = () => {
    const chosen = line.select.value;
    const mine = lines.items.filter((l) => !site.select.value || l.siteId === site.select.value);
    line.select.replaceChildren(
      h('option', { value: '' }, 'all'),
      ...mine.map((l) => h('option', { value: l.id }, l.name)),
    );
    line.select.value = mine.some((l) => l.id === chosen) ? chosen : '';
  };
  showLines();
  const priority = filterSelect(
    'Priority',
    'priority',
    PRIORITIES.map((p) => [p, p]),
  );
  const status = filterSelect(
    'State',
    'status',
    COLUMNS.map(([value, title]) => [value, title]),
  );
  site.select.addEventListener('change', () => {
    showLines();
    changed();
  });
  for (const f of [line, priority, status]) f.select.addEventListener('change', changed);
  const bar = h(
    'form',
    { class: 'toolbar', id: 'board-filters', 'aria-label': 'filter work orders' },
    site.field,
    line.field,
    priority.field,
    status.field,
  );
  bar.addEventListener('submit', (e) => e.preventDefault());
  return {
    bar,
    /** The list's query from the chosen filters: the selects offer only the document's values, and '' for all. */
    query: () =>
      /** @type {import('../api.js').WorkOrderFilters} */ ({
        site: site.select.value,
        line: line.select.value,
        priority: priority.select.value,
        status: status.select.value,
      }),
  };
}

/**
 * The work-order board: a column per state, filtered by site, line, priority and state, each card with the
 * evidence of the alert it was opened for; technicians create, assign, progress and close orders.
 */
export async function workOrderBoard(/** @type {HTMLElement} */ view, /** @type {boolean} */ canWrite) {
  const message = h('p', { class: 'error', role: 'alert', id: 'board-message' });
  const board = h('div', { class: 'board', id: 'board' });
  const { bar, query } = await filters(() => draw());
  view.append(h('h1', {}, 'Work orders'));
  if (canWrite) view.append(await createForm(message, () => draw()));
  else
    view.append(
      h('p', { class: 'muted', id: 'read-only' }, 'Read-only: a viewer key cannot change work orders.'),
    );
  view.append(bar, message, board);
  /** Findings being chosen, by order id: kept across the board's redraws. @type {Map<string, { cause: string, other: string }>} */
  const drafts = new Map();

  /** @param {import('../api.js').WorkOrder} order @param {Transition['to']} to */
  const move = async (order, to) => {
    /** @type {Transition} */
    const body = { to };
    if (to === 'done') {
      const draft = drafts.get(order.id);
      if (!draft?.cause) {
        message.textContent = 'Say what you found first.';
        return;
      }
      if (draft.cause === 'other:' && !draft.other.trim()) {
        message.textContent = 'Name the other cause first.';
        return;
      }
      body.confirmedCause = draft.cause === 'other:' ? `other:${draft.other.trim()}` : draft.cause;
    }
    if (to === 'assigned' && order.status === 'open') {
      const input = /** @type {HTMLInputElement | null} */ (
        board.querySelector(`[data-assignee="${order.id}"]`)
      );
      if (!input?.value.trim()) {
        message.textContent = 'Name who takes it first.';
        return;
      }
      body.assignee = input.value.trim();
    }
    try {
      await transitionWorkOrder(order.id, order.version, body);
      message.textContent = '';
      if (to === 'done') drafts.delete(order.id);
    } catch (err) {
      message.textContent =
        err instanceof ApiError && err.status === 412
          ? 'Someone changed this order first; the board is up to date again.'
          : /** @type {Error} */ (err).message;
    }
    await draw();
  };

  const draw = async () => {
    const chosen = query();
    // Each column shown, whole: the active ones all pages, the closed ones their newest CLOSED_SHOWN.
    const shown = COLUMNS.filter(([status]) => !chosen.status || chosen.status === status);
    const pages = await Promise.all(
      shown.map(([status]) =>
        listAllWorkOrders({ ...chosen, status }, ACTIVE.has(status) ? ACTIVE_MOST : CLOSED_SHOWN),
      ),
    );
    // Keeps keyboard focus on the same control across the redraw.
    const focused = document.activeElement;
    const key = focused && board.contains(focused) ? focusKey(focused) : null;
    board.replaceChildren(
      ...shown.map(([status, title], i) => {
        const mine = pages[i].items;
        return h(
          'section',
          { class: 'column', 'data-column': status, 'aria-label': `${title} work orders` },
          // `+`: more closed orders than the newest shown.
          h('h2', {}, `${title} (${mine.length}${pages[i].complete ? '' : '+'})`),
          ...mine.map((order) => orderCard(order, { canWrite, move, findingInputs })),
        );
      }),
    );
    if (key) /** @type {HTMLElement | null} */ (board.querySelector(key))?.focus();
  };
  /** The finding a closing needs: a select of the causes, and words for another one. @param {string} id */
  const findingInputs = (id) => {
    const draft = drafts.get(id) ?? { cause: '', other: '' };
    const other = /** @type {HTMLInputElement} */ (
      h('input', {
        'data-other': id,
        placeholder: 'other cause',
        'aria-label': 'other cause',
        maxlength: '100',
        size: '14',
        value: draft.other,
        hidden: draft.cause !== 'other:',
        oninput: () => {
          draft.other = other.value;
          drafts.set(id, draft);
        },
      })
    );
    const select = /** @type {HTMLSelectElement} */ (
      h(
        'select',
        {
          'data-finding': id,
          'aria-label': 'finding',
          onchange: () => {
            draft.cause = select.value;
            drafts.set(id, draft);
            other.hidden = select.value !== 'other:';
          },
        },
        h('option', { value: '', disabled: true, selected: draft.cause === '' }, 'finding…'),
        ...FINDINGS.map(([value, title]) => h('option', { value, selected: draft.cause === value }, title)),
      )
    );
    return h('span', { class: 'finding-inputs' }, select, other);
  };

  await draw();
  return every(draw, 5000);
}

/** A selector that finds the same control after a redraw: its data attribute naming the order. @param {Element} el */
function focusKey(el) {
  for (const name of ['data-move', 'data-assignee', 'data-finding', 'data-other']) {
    const value = el.getAttribute(name);
    if (value === null) continue;
    const order = el.closest('[data-order]')?.getAttribute('data-order') ?? '';
    return `[data-order="${CSS.escape(order)}"] [${name}="${CSS.escape(value)}"]`;
  }
  const href = el.getAttribute('href');
  return href ? `a[href="${CSS.escape(href)}"]` : null;
}

/** @param {HTMLElement} message @param {() => Promise<void>} done */
async function createForm(message, done) {
  const { items } = await listAssets({ sort: 'name' });
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'toolbar card', id: 'new-order', 'aria-label': 'open a work order' },
      h(
        'label',
        {},
        'Asset',
        h(
          'select',
          { name: 'assetId', required: true },
          ...items.map((a) => h('option', { value: a.id }, a.name)),
        ),
      ),
      h('label', {}, 'Title', h('input', { name: 'title', required: true, maxlength: '200', size: '40' })),
      h(
        'label',
        {},
        'Priority',
        h('select', { name: 'priority' }, ...PRIORITIES.map((p) => h('option', { value: p }, p))),
      ),
      h('button', { type: 'submit' }, 'Open work order'),
    )
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await createWorkOrder({
        assetId: String(data.get('assetId')),
        title: String(data.get('title')).trim(),
        priority: /** @type {import('../api.js').NewWorkOrder['priority']} */ (String(data.get('priority'))),
      });
      form.reset();
      message.textContent = '';
    } catch (err) {
      message.textContent = /** @type {Error} */ (err).message;
    }
    await done();
  });
  return form;
}
