// @ts-check
/**
 * The console's API client: one function per call the console makes, so that every request goes through here.
 * The key lives in this tab's sessionStorage only.
 */

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
async function call(method, path, options = {}) {
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
const get = async (path) => (await call('GET', path)).body;

/** A query string from the defined values only. @param {Record<string, string | number | undefined | null>} params */
function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(name, String(value));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;

/** GET /v1/me: who the key is. */
export const getMe = () => get('/v1/me');

/** GET /v1/assets. @param {{ sort?: 'health' | 'name', limit?: number }} [params] */
export const listAssets = (params = {}) => get(`/v1/assets${query({ limit: 1000, ...params })}`);

/** GET /v1/assets/{id}. @param {string} id */
export const getAsset = (id) => get(`/v1/assets/${enc(id)}`);

/**
 * GET /v1/assets/{id}/features.
 * @param {string} id @param {{ from: number, to: number, resolution: string, limit?: number }} params
 */
export const getAssetFeatures = (id, params) =>
  get(`/v1/assets/${enc(id)}/features${query({ limit: 10_000, ...params })}`);

/** GET /v1/sensors/{id}/signal. @param {string} id @param {{ from: number, to: number }} params */
export const getSensorSignal = (id, params) => get(`/v1/sensors/${enc(id)}/signal${query(params)}`);

/** GET /v1/sensors/{id}/envelope: the envelope spectrum of its latest block. @param {string} id */
export const getSensorEnvelope = (id) => get(`/v1/sensors/${enc(id)}/envelope`);

/** GET /v1/sensors/{id}/spectrum: the amplitude spectrum of its latest block. @param {string} id @param {{ maxHz?: number }} [params] */
export const getSensorSpectrum = (id, params = {}) => get(`/v1/sensors/${enc(id)}/spectrum${query(params)}`);

/** GET /v1/bearings: the bearing catalogue. */
export const listBearings = () => get('/v1/bearings');

/** GET /v1/alerts. @param {{ status?: string, asset?: string, limit?: number }} [params] */
export const listAlerts = (params = {}) => get(`/v1/alerts${query({ limit: 100, ...params })}`);

/**
 * GET /v1/work-orders.
 * @param {{ status?: string, asset?: string, site?: string, line?: string, priority?: string, limit?: number }} [params]
 */
export const listWorkOrders = (params = {}) => get(`/v1/work-orders${query({ limit: 100, ...params })}`);

/** POST /v1/work-orders. @param {{ assetId: string, title: string, priority: string }} body */
export const createWorkOrder = async (body) => (await call('POST', '/v1/work-orders', { body })).body;

/**
 * POST /v1/work-orders/{id}/transitions, at the version the board shows.
 * @param {string} id @param {number} version @param {{ to: string, assignee?: string, confirmedCause?: string }} body
 */
export const transitionWorkOrder = async (id, version, body) =>
  (await call('POST', `/v1/work-orders/${enc(id)}/transitions`, { body, ifMatch: `"${version}"` })).body;

/** GET /v1/sites. */
export const listSites = () => get('/v1/sites?limit=1000');

/** GET /v1/lines. @param {{ site?: string }} [params] */
export const listLines = (params = {}) => get(`/v1/lines${query({ limit: 1000, ...params })}`);

/** GET /v1/kpis. @param {string} scope `site=…`, `line=…` or `asset=…` @param {number} from @param {number} to */
export const getKpis = (scope, from, to) => get(`/v1/kpis?${scope}&from=${from}&to=${to}`);

/** GET /v1/kpis/daily. @param {string} scope @param {number} from @param {number} to */
export const getDailyKpis = (scope, from, to) => get(`/v1/kpis/daily?${scope}&from=${from}&to=${to}`);
