// @ts-check
/** Small DOM helpers: text is always set as text, never parsed as HTML. */

/**
 * @param {string} tag
 * @param {Record<string, string | boolean | ((e: Event) => void)>} [attrs]
 * @param {(Node | string | null | undefined)[]} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false) el.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined) el.append(child);
  return el;
}

/** @param {number | null | undefined} health */
export function healthClass(health) {
  if (health === null || health === undefined) return 'none';
  return health >= 70 ? 'good' : health >= 40 ? 'fair' : 'bad';
}

const STATE_WORDS = /** @type {Record<string, string>} */ ({
  good: 'good',
  fair: 'fair',
  bad: 'poor',
  none: 'not scored yet',
});

/** A health's state in words (good ≥ 70, fair ≥ 40, poor below, or not scored yet), so it is read without colour. @param {number | null | undefined} health */
export const healthState = (health) => STATE_WORDS[healthClass(health)];

/** "Health 72 / 100 · good": the score with its scale and its state. @param {number | null | undefined} health */
export function healthText(health) {
  const state = healthState(health);
  return health === null || health === undefined
    ? `Health — · ${state}`
    : `Health ${Math.round(health)} / 100 · ${state}`;
}

/** The time of day for an instant of today, else date and time. @param {number} at epoch ms */
export function when(at) {
  const d = new Date(at);
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
}

/** "3 min ago" for an instant before `now`. @param {number} at epoch ms @param {number} [now] */
export function ago(at, now = Date.now()) {
  const ms = Math.max(0, now - at);
  return ms < 60_000 ? `${Math.round(ms / 1000)} s ago` : `${duration(ms)} ago`;
}

/** When a sensor or asset last sent a reading, with how long ago. @param {string | null | undefined} iso */
export function lastReadingText(iso) {
  if (!iso) return 'no reading yet';
  const at = Date.parse(iso);
  return `last reading ${when(at)} (${ago(at)})`;
}

/** @param {number | null} ms */
export function duration(ms) {
  if (ms === null) return '—';
  const hours = ms / 3_600_000;
  return hours >= 48
    ? `${(hours / 24).toFixed(1)} d`
    : hours >= 1
      ? `${hours.toFixed(1)} h`
      : `${Math.round(ms / 60_000)} min`;
}

/** @param {number | null} ratio */
export const percent = (ratio) => (ratio === null ? '—' : `${(ratio * 100).toFixed(1)} %`);

/** @param {number} ms */
export const clock = (ms) => new Date(ms).toLocaleString();

/** Calls fn now and every periodMs until the returned function is called. @param {() => Promise<void>} fn @param {number} periodMs */
export function every(fn, periodMs) {
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const tick = async () => {
    try {
      await fn();
    } finally {
      if (!stopped) timer = setTimeout(tick, periodMs);
    }
  };
  timer = setTimeout(tick, periodMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
