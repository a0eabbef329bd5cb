// @ts-check
import { ApiError, call, get } from '../api.js';
import { clock, every, h } from '../dom.js';

const COLUMNS = /** @type {const} */ ([
  ['open', 'Open'],
  ['assigned', 'Assigned'],
  ['in_progress', 'In progress'],
  ['done', 'Done'],
  ['cancelled', 'Cancelled'],
]);

/** The moves the board offers from each status (the API refuses the others with 409). */
const MOVES = {
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
};

/**
 * What closing an order may find, as the API takes it in `confirmedCause` (src/domain/work-orders.ts
 * CONFIRMED_CAUSE_CHOICES; test/console-findings.test.ts keeps both the same). `other:` is followed by words.
 */
const FINDINGS = /** @type {const} */ ([
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

/** The work-order board: a column per status; technicians create, assign, progress and close orders. */
export async function workOrderBoard(/** @type {HTMLElement} */ view, /** @type {boolean} */ canWrite) {
  const message = h('p', { class: 'error', role: 'alert', id: 'board-message' });
  const board = h('div', { class: 'board', id: 'board' });
  view.append(h('h1', {}, 'Work orders'));
  if (canWrite) view.append(await createForm(message, () => draw()));
  else
    view.append(
      h('p', { class: 'muted', id: 'read-only' }, 'Read-only: a viewer key cannot change work orders.'),
    );
  view.append(message, board);
  /** Findings being chosen, by order id: kept across the board's redraws. @type {Map<string, { cause: string, other: string }>} */
  const drafts = new Map();

  /** @param {any} order @param {string} to */
  const move = async (order, to) => {
    /** @type {{ to: string, assignee?: string, confirmedCause?: string }} */
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
      await call('POST', `/v1/work-orders/${encodeURIComponent(order.id)}/transitions`, {
        body,
        ifMatch: `"${order.version}"`,
      });
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
    const { items } = await get('/v1/work-orders?limit=500');
    board.replaceChildren(
      ...COLUMNS.map(([status, title]) =>
        h(
          'section',
          { class: 'column', 'data-column': status },
          h('h2', {}, `${title} (${items.filter((/** @type {any} */ o) => o.status === status).length})`),
          ...items
            .filter((/** @type {any} */ o) => o.status === status)
            .map((/** @type {any} */ order) =>
              h(
                'article',
                { class: 'order', 'data-order': order.id },
                h('strong', {}, order.title),
                h('div', { class: 'muted' }, `${order.assetId} · ${clock(order.createdAt)}`),
                h('span', { class: `pill ${order.priority}` }, order.priority),
                order.assignee ? h('span', { class: 'muted' }, ` · ${order.assignee}`) : null,
                status === 'done'
                  ? h(
                      'div',
                      { class: 'finding', 'data-finding-of': order.id },
                      findingText(order.confirmedCause),
                    )
                  : null,
                canWrite && MOVES[/** @type {keyof MOVES} */ (status)].length
                  ? h(
                      'div',
                      { class: 'actions' },
                      status === 'open'
                        ? h('input', {
                            'data-assignee': order.id,
                            placeholder: 'assignee',
                            'aria-label': 'assignee',
                            size: '10',
                          })
                        : null,
                      status === 'in_progress' ? findingInputs(order.id) : null,
                      ...MOVES[/** @type {keyof MOVES} */ (status)].map(([to, label]) =>
                        h(
                          'button',
                          {
                            type: 'button',
                            class: to === 'cancelled' ? 'secondary' : '',
                            'data-move': to,
                            onclick: () => move(order, to),
                          },
                          label,
                        ),
                      ),
                    )
                  : null,
              ),
            ),
        ),
      ),
    );
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

/** @param {HTMLElement} message @param {() => Promise<void>} done */
async function createForm(message, done) {
  const { items } = await get('/v1/assets?limit=1000&sort=name');
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'toolbar card', id: 'new-order' },
      h(
        'label',
        {},
        'Asset',
        h(
          'select',
          { name: 'assetId', required: true },
          ...items.map((/** @type {any} */ a) => h('option', { value: a.id }, a.name)),
        ),
      ),
      h('label', {}, 'Title', h('input', { name: 'title', required: true, maxlength: '200', size: '40' })),
      h(
        'label',
        {},
        'Priority',
        h(
          'select',
          { name: 'priority' },
          ...['low', 'medium', 'high', 'urgent'].map((p) => h('option', { value: p }, p)),
        ),
      ),
      h('button', { type: 'submit' }, 'Open work order'),
    )
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await call('POST', '/v1/work-orders', {
        body: {
          assetId: data.get('assetId'),
          title: String(data.get('title')).trim(),
          priority: data.get('priority'),
        },
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
