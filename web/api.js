// @ts-check
/**
 * The console's API client: one function per call the console makes, so that every request goes through here.
 * Each is made with openapi-fetch typed by the API's own OpenAPI document (api-schema.d.ts, written by
 * `npm run api-types`): a path, a parameter, a body or a response field the document does not have is a type
 * error in `tsc -p web`. The key lives in this tab's sessionStorage only.
 */
// Served from the openapi-fetch package (see src/api/console.ts); vendor/openapi-fetch/index.d.mts types it.
import createClient from './vendor/openapi-fetch/index.mjs';

/** @typedef {import('./api-schema.js').paths} paths */
/** The query parameters of operation `O`. @template O @typedef {O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never} QueryOf */
/** The JSON body of operation `O`. @template O @typedef {O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never} BodyOf */
/** @typedef {QueryOf<paths['/v1/assets']['get']>} AssetQuery */
/** @typedef {QueryOf<paths['/v1/assets/{id}/features']['get']>} FeatureQuery */
/** @typedef {QueryOf<paths['/v1/sensors/{id}/signal']['get']>} SignalQuery */
/** @typedef {QueryOf<paths['/v1/sensors/{id}/spectrum']['get']>} SpectrumQuery */
/** @typedef {QueryOf<paths['/v1/alerts']['get']>} AlertQuery */
/** @typedef {QueryOf<paths['/v1/lines']['get']>} LineQuery */
/** @typedef {QueryOf<paths['/v1/work-orders']['get']>} WorkOrderQuery */
/** The board's filters: a filter left at "all" is '' and is not sent. @typedef {{ [K in keyof WorkOrderQuery]?: WorkOrderQuery[K] | '' }} WorkOrderFilters */
/** @typedef {BodyOf<paths['/v1/work-orders']['post']>} NewWorkOrder */
/** @typedef {BodyOf<paths['/v1/work-orders/{id}/transitions']['post']>} Transition */
/** An asset as GET /v1/assets/{id} answers it. @typedef {Awaited<ReturnType<typeof getAsset>>} Asset */
/** An asset as GET /v1/assets lists it. @typedef {Awaited<ReturnType<typeof listAssets>>['items'][number]} AssetSummary */
/** A sensor of an asset. @typedef {Asset['sensors'][number]} Sensor */
/** @typedef {Awaited<ReturnType<typeof listAlerts>>['items'][number]} Alert */
/** A window, or a roll-up bucket, of an asset's features. @typedef {Awaited<ReturnType<typeof getAssetFeatures>>['items'][number]} FeatureRow */
/** One window's features (resolution `window`). @typedef {Extract<FeatureRow, { windowStart: number }>} FeatureWindow */
/** A work order as the board lists it. @typedef {Awaited<ReturnType<typeof listWorkOrders>>['items'][number]} WorkOrder */
/** One asset, line or site: exactly one of them, as /v1/kpis asks. @typedef {{ asset: string } | { line: string } | { site: string }} KpiScope */

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

/** @type {import('./vendor/openapi-fetch/index.mjs').Client<paths>} */
const client = createClient({ baseUrl: location.origin });
// The key is read at each request: signing in or out changes it.
client.use({
  onRequest({ request }) {
    request.headers.set('authorization', `Bearer ${session.key ?? ''}`);
    return request;
  },
});

/**
 * The body of a successful answer; an error answer throws ApiError with its status and the ErrorBody's message.
 * @template T
 * @param {Promise<{ data?: T, error?: unknown, response: Response }>} call
 * @returns {Promise<T>}
 */
async function ok(call) {
  const { data, error, response } = await call;
  if (!response.ok) {
    const message =
      error && typeof error === 'object' && 'message' in error && typeof error.message === 'string'
        ? error.message
        : response.statusText;
    throw new ApiError(response.status, message);
  }
  return /** @type {T} */ (data);
}

/**
 * `filters` without those left at "all" ('').
 * @template {object} F @param {F} filters @returns {{ [K in keyof F]: Exclude<F[K], ''> }}
 */
function chosen(filters) {
  return /** @type {any} */ (Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== '')));
}

/** GET /v1/me: who the key is. */
export const getMe = () => ok(client.GET('/v1/me'));

/** GET /v1/assets, 1000 at most. @param {AssetQuery} [params] */
export const listAssets = (params = {}) =>
  ok(client.GET('/v1/assets', { params: { query: { limit: 1000, ...params } } }));

/** GET /v1/assets/{id}. @param {string} id */
export const getAsset = (id) => ok(client.GET('/v1/assets/{id}', { params: { path: { id } } }));

/** GET /v1/assets/{id}/features, 10 000 rows at most. @param {string} id @param {FeatureQuery} params */
export const getAssetFeatures = (id, params) =>
  ok(
    client.GET('/v1/assets/{id}/features', { params: { path: { id }, query: { limit: 10_000, ...params } } }),
  );

/** GET /v1/sensors/{id}/signal. @param {string} id @param {SignalQuery} params */
export const getSensorSignal = (id, params) =>
  ok(client.GET('/v1/sensors/{id}/signal', { params: { path: { id }, query: params } }));

/** GET /v1/sensors/{id}/envelope: the envelope spectrum of its latest block. @param {string} id */
export const getSensorEnvelope = (id) =>
  ok(client.GET('/v1/sensors/{id}/envelope', { params: { path: { id } } }));

/** GET /v1/sensors/{id}/spectrum: the amplitude spectrum of its latest block. @param {string} id @param {SpectrumQuery} [params] */
export const getSensorSpectrum = (id, params = {}) =>
  ok(client.GET('/v1/sensors/{id}/spectrum', { params: { path: { id }, query: params } }));

/** GET /v1/bearings: the bearing catalogue. */
export const listBearings = () => ok(client.GET('/v1/bearings'));

/** GET /v1/alerts, 100 by default. @param {AlertQuery} [params] */
export const listAlerts = (params = {}) =>
  ok(client.GET('/v1/alerts', { params: { query: { limit: 100, ...params } } }));

/** GET /v1/work-orders, 100 by default. @param {WorkOrderFilters} [filters] */
export const listWorkOrders = (filters = {}) =>
  ok(client.GET('/v1/work-orders', { params: { query: { limit: 100, ...chosen(filters) } } }));

/**
 * Every work order matching the filters, page after page (1000 a page), up to `most`: the board shows each
 * column whole rather than the newest page of all of them.
 * @param {WorkOrderFilters} filters @param {number} most
 * @returns {Promise<{ items: WorkOrder[], complete: boolean }>}
 */
export async function listAllWorkOrders(filters, most) {
  /** @type {WorkOrder[]} */
  const items = [];
  /** @type {string | undefined} */
  let cursor;
  do {
    const page = await listWorkOrders({ ...filters, limit: 1000, ...(cursor && { cursor }) });
    items.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor && items.length < most);
  return { items: items.slice(0, most), complete: !cursor && items.length <= most };
}

/** POST /v1/work-orders. @param {NewWorkOrder} body */
export const createWorkOrder = (body) => ok(client.POST('/v1/work-orders', { body }));

/**
 * POST /v1/work-orders/{id}/transitions, at the version the board shows (If-Match; 412 when it changed since).
 * @param {string} id @param {number} version @param {Transition} body
 */
export const transitionWorkOrder = (id, version, body) =>
  ok(
    client.POST('/v1/work-orders/{id}/transitions', {
      params: { path: { id }, header: { 'if-match': `"${version}"` } },
      body,
    }),
  );

/** GET /v1/sites, 1000 at most. */
export const listSites = () => ok(client.GET('/v1/sites', { params: { query: { limit: 1000 } } }));

/** GET /v1/lines, 1000 at most. @param {LineQuery} [params] */
export const listLines = (params = {}) =>
  ok(client.GET('/v1/lines', { params: { query: { limit: 1000, ...params } } }));

/** GET /v1/kpis over [from, to). @param {KpiScope} scope @param {number} from epoch ms @param {number} to epoch ms */
export const getKpis = (scope, from, to) =>
  ok(client.GET('/v1/kpis', { params: { query: { ...scope, from: String(from), to: String(to) } } }));

/** GET /v1/kpis/daily over [from, to). @param {KpiScope} scope @param {number} from epoch ms @param {number} to epoch ms */
export const getDailyKpis = (scope, from, to) =>
  ok(client.GET('/v1/kpis/daily', { params: { query: { ...scope, from: String(from), to: String(to) } } }));
