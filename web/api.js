// @ts-check
/** The console's API client: the key lives in this tab's sessionStorage only. */

const KEY = 'mantis.apiKey';

export const session = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  set key(value) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
};

export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, ifMatch?: string }} [options]
 * @returns {Promise<{ body: any, etag: string | null }>}
 */
export async function call(method, path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${session.key ?? ''}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  const response = await fetch(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, body?.message ?? response.statusText);
  return { body, etag: response.headers.get('etag') };
}

/** @param {string} path */
export const get = async (path) => (await call('GET', path)).body;
