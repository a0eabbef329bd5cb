import { Agent, fetch } from 'undici';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../../domain/errors.ts';
import { retry } from '../../lib/retry.ts';

/**
 * HTTP to an MLflow tracking server: timeouts, basic auth from the URL, MLflow's error codes turned into
 * domain errors, and retries of what waiting can cure. The REST API is MLflow's
 * (https://mlflow.org/docs/latest/api_reference/rest-api.html); errors come as
 * `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": …}`.
 */

/** The tracking server cannot answer: unreachable, timing out, failing (5xx, 429) or refusing the credentials. */
export class TrackingUnavailableError extends UnavailableError {
  readonly dependency = 'modelTracking';
  /** Whether waiting can cure it (a refused connection, a 5xx); refused credentials cannot. */
  readonly transient: boolean;
  constructor(message: string, transient: boolean, cause?: unknown) {
    super(message, 5);
    this.transient = transient;
    if (cause !== undefined) this.cause = cause;
  }
}

export interface MlflowHttpOptions {
  /** Per request, in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** How long a call goes on retrying an unreachable or failing server, in milliseconds (default 15 000). */
  retryBudgetMs?: number;
}

export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the server's base, e.g. `/api/2.0/mlflow/runs/create`. */
  path: string;
  query?: Record<string, string>;
  /** JSON body, or bytes with `contentType`. */
  json?: unknown;
  bytes?: Uint8Array;
  contentType?: string;
  /** The ValidationError field when MLflow answers INVALID_PARAMETER_VALUE. */
  field: string;
  /**
   * Whether repeating the call changes nothing (reads, updates, alias moves). A call that creates (a run, a
   * model version) is retried only when the connection was refused, so that it never runs twice.
   */
  idempotent: boolean;
  /** One attempt only (a probe must answer fast). */
  once?: boolean;
}

/** The base URL without credentials, and the Authorization header they make (MLflow's basic-auth app). */
function splitCredentials(url: string): { base: string; authorization: string | null } {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new ValidationError('ml.trackingUrl', 'expected http(s)://host:port of an MLflow tracking server');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new ValidationError('ml.trackingUrl', `${base.protocol} is not http: or https:`);
  }
  if (base.search || base.hash) throw new ValidationError('ml.trackingUrl', 'takes no query or fragment');
  const user = decodeURIComponent(base.username);
  const password = decodeURIComponent(base.password);
  const authorization =
    user || password ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : null;
  return { base: `${base.origin}${base.pathname.replace(/\/+$/, '')}`, authorization };
}

const CONNECTION_REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The error code of a failed fetch: undici wraps the socket's error as `cause`. */
function socketCode(err: unknown): string {
  let e = err as { code?: unknown; cause?: unknown; name?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++, e = e.cause as typeof e) {
    if (typeof e.code === 'string') return e.code;
    if (e.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return 'UNKNOWN';
}

export class MlflowHttp {
  /** The server's URL, credentials redacted: for logs, summaries and error messages. */
  readonly location: string;
  /** Origin and path prefix, no credentials, no trailing slash. */
  private readonly base: string;
  private readonly authorization: string | null;
  private readonly timeoutMs: number;
  private readonly retryBudgetMs: number;
  private readonly agent: Agent;

  constructor(url: string, options: MlflowHttpOptions = {}) {
    const { base, authorization } = splitCredentials(url);
    this.base = base;
    this.authorization = authorization;
    const user = authorization ? `${new URL(url).username}:<redacted>@` : '';
    this.location = base.replace('://', `://${user}`);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retryBudgetMs = options.retryBudgetMs ?? 15_000;
    this.agent = new Agent({ connect: { timeout: this.timeoutMs } });
  }

  /** The call's answer as parsed JSON (`{}` for an empty body), retried while the server is unavailable. */
  async json<T>(call: Call): Promise<T> {
    const bytes = await this.send(call);
    const text = new TextDecoder().decode(bytes);
    if (text.trim() === '') return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new TrackingUnavailableError(
        `MLflow at ${this.location}: ${call.path} answered with no JSON`,
        false,
      );
    }
  }

  /** The call's answer as bytes, retried while the server is unavailable. */
  send(call: Call): Promise<Uint8Array> {
    if (call.once) return this.once(call);
    return retry(() => this.once(call), {
      isTransient: (err) =>
        err instanceof TrackingUnavailableError &&
        err.transient &&
        (call.idempotent || CONNECTION_REFUSED.has(socketCode(err.cause))),
      maxAttempts: 1,
      baseMs: 200,
      maxMs: 2_000,
      budgetMs: this.retryBudgetMs,
    });
  }

  private async once(call: Call): Promise<Uint8Array> {
    const url = new URL(`${this.base}${call.path}`);
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = {};
    if (this.authorization) headers.authorization = this.authorization;
    let body: string | Uint8Array | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.bytes) {
      headers['content-type'] = call.contentType ?? 'application/octet-stream';
      body = call.bytes;
    }
    const what = `${call.method} ${call.path}`;
    let response: Awaited<ReturnType<typeof fetch>>;
    let bytes: Uint8Array;
    try {
      response = await fetch(url, {
        method: call.method,
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (err) {
      const code = socketCode(err);
      throw new TrackingUnavailableError(
        `MLflow at ${this.location} unreachable (${what}): ${code}`,
        true,
        err,
      );
    }
    if (response.ok) return bytes;
    throw this.failure(what, response.status, bytes, call.field);
  }

  /** The domain error of a non-2xx answer, from MLflow's error_code when it gives one. */
  private failure(what: string, status: number, bytes: Uint8Array, field: string): Error {
    let code = `HTTP_${status}`;
    let message = new TextDecoder().decode(bytes).slice(0, 500);
    try {
      const parsed = JSON.parse(message) as { error_code?: unknown; message?: unknown };
      if (typeof parsed.error_code === 'string') code = parsed.error_code;
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // Not MLflow's JSON (a proxy's page): the status says enough.
    }
    if (status === 401 || status === 403) {
      return new TrackingUnavailableError(
        `MLflow at ${this.location} refused the credentials (${status}) for ${what}`,
        false,
      );
    }
    if (status === 429 || status >= 500) {
      return new TrackingUnavailableError(
        `MLflow at ${this.location} failed (${status} ${code}) for ${what}`,
        true,
      );
    }
    if (code === 'RESOURCE_DOES_NOT_EXIST') return new NotFoundError(message);
    if (code === 'RESOURCE_ALREADY_EXISTS') return new ConflictError(message);
    if (code === 'INVALID_PARAMETER_VALUE' || code === 'BAD_REQUEST' || status === 400) {
      return new ValidationError(field, message);
    }
    return new TrackingUnavailableError(
      `MLflow at ${this.location}: ${status} ${code} for ${what}: ${message}`,
      false,
    );
  }

  /** Closes the pooled connections. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}
