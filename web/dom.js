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
