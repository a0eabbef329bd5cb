// @ts-check
import { ApiError, getMe, session } from './api.js';
import { assetPage } from './pages/asset.js';
import { fleetPage } from './pages/fleet.js';
import { kpiPage } from './pages/kpis.js';
import { workOrderBoard } from './pages/work-orders.js';

/** @typedef {{ actor: string, role: 'viewer' | 'technician' | 'admin' | 'device', siteId: string | null }} Me */

const view = /** @type {HTMLElement} */ (document.getElementById('view'));
/** @type {(() => void) | null} */
let leave = null;

/** @param {Me} me */
async function route(me) {
  leave?.();
  leave = null;
  const [page, ...rest] = (location.hash.replace(/^#\/?/, '') || 'fleet').split('/');
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.getAttribute('data-nav') === page);
  }
  view.replaceChildren();
  const canWrite = me.role === 'technician' || me.role === 'admin';
  try {
    if (page === 'asset') leave = await assetPage(view, decodeURIComponent(rest.join('/')));
    else if (page === 'work-orders') leave = await workOrderBoard(view, canWrite);
    else if (page === 'kpis') leave = await kpiPage(view);
    else leave = await fleetPage(view);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return signIn('That key is not valid (any more).');
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `Could not load this page: ${/** @type {Error} */ (err).message}`;
    view.append(p);
  }
}

/** @param {string} [message] */
function signIn(message = '') {
  session.key = null;
  const template = /** @type {HTMLTemplateElement} */ (document.getElementById('login'));
  view.replaceChildren(template.content.cloneNode(true));
  const form = /** @type {HTMLFormElement} */ (document.getElementById('login-form'));
  const error = /** @type {HTMLElement} */ (document.getElementById('login-error'));
  error.textContent = message;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    session.key = String(new FormData(form).get('key') ?? '').trim();
    await start();
  });
}

async function start() {
  if (!session.key) return signIn();
  /** @type {Me} */
  let me;
  try {
    me = await getMe();
  } catch (err) {
    return signIn(err instanceof ApiError && err.status === 401 ? 'That key is not valid.' : String(err));
  }
  const who = /** @type {HTMLElement} */ (document.getElementById('who'));
  who.textContent = `${me.actor} · ${me.role}`;
  const logout = /** @type {HTMLButtonElement} */ (document.getElementById('logout'));
  logout.hidden = false;
  logout.onclick = () => {
    who.textContent = '';
    logout.hidden = true;
    signIn();
  };
  window.onhashchange = () => route(me);
  await route(me);
}

start();
