import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { influxSetup } from '../src/cli/influx.ts';
import { downsampleTaskFlux } from '../src/storage/influxdb/setup-v2.ts';

/**
 * `mantis influx setup` on the v2 API, against a stand-in that implements only the endpoints setup calls, as
 * InfluxDB 2's OpenAPI documents them (github.com/influxdata/openapi, src/common/paths/): GET /api/v2/orgs
 * (`org` filter → `{orgs}`), GET /api/v2/buckets (`orgID`, `name` → `{buckets}`), POST /api/v2/buckets
 * (PostBucketRequest: `orgID`, `name` required, `retentionRules` of `{type: "expire", everySeconds}`, 0 or
 * none = forever → 201), PATCH /api/v2/buckets/{bucketID} (PatchBucketRequest → 200, 404 unknown), GET
 * /api/v2/tasks (`orgID` required, `name` → `{tasks}` with their `flux`), POST /api/v2/tasks
 * (TaskCreateRequest: `flux` required, the name from the script's `option task` → 201), PATCH
 * /api/v2/tasks/{taskID} (TaskUpdateRequest → 200); every call needs `Authorization: Token <token>` (401).
 * A contract test: no InfluxDB 2 runs here.
 */

const TOKEN = 'v2-contract-token-0123456789';
const ORG = { id: '0f1e2d3c4b5a6978', name: 'plant' };

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
}

interface Bucket {
  id: string;
  orgID: string;
  name: string;
  retentionRules: { type: string; everySeconds: number }[];
}

interface Task {
  id: string;
  orgID: string;
  name: string;
  flux: string;
  status: string;
  description?: string;
}

/** The stand-in's state and its record of requests. */
class InfluxV2StandIn {
  readonly requests: Recorded[] = [];
  readonly buckets: Bucket[] = [];
  readonly tasks: Task[] = [];
  private server: Server | null = null;
  private nextId = 1;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => this.handle(req, res, text));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.close();
    if (this.server) await once(this.server, 'close');
  }

  reset(): void {
    this.requests.length = 0;
    this.buckets.length = 0;
    this.tasks.length = 0;
  }

  /** Method and path of the calls that change something. */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  }

  private id(): string {
    return (this.nextId++).toString(16).padStart(16, '0');
  }

  private handle(req: IncomingMessage, res: ServerResponse, text: string) {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const query = Object.fromEntries(url.searchParams);
    let body: unknown = null;
    const send = (status: number, json?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(json === undefined ? '' : JSON.stringify(json));
    };
    const error = (status: number, code: string, message: string) => send(status, { code, message });
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      return error(400, 'invalid', 'invalid json');
    }
    const authorization = req.headers.authorization;
    this.requests.push({ method: req.method ?? '', path: url.pathname, query, authorization, body });
    if (authorization !== `Token ${TOKEN}`) return error(401, 'unauthorized', 'unauthorized access');
    const route = `${req.method} ${url.pathname.replace(/\/[0-9a-f]{16}$/, '/{id}')}`;
    const b = (body ?? {}) as Record<string, unknown>;
    switch (route) {
      case 'GET /api/v2/orgs':
        return send(200, { orgs: [ORG].filter((o) => !query.org || o.name === query.org) });
      case 'GET /api/v2/buckets':
        return send(200, {
          buckets: this.buckets.filter(
            (x) => (!query.orgID || x.orgID === query.orgID) && (!query.name || x.name === query.name),
          ),
        });
      case 'POST /api/v2/buckets': {
        if (typeof b.orgID !== 'string' || typeof b.name !== 'string')
          return error(400, 'invalid', 'orgID and name are required');
        if (b.orgID !== ORG.id) return error(404, 'not found', 'organization not found');
        if (this.buckets.some((x) => x.name === b.name))
          return error(422, 'conflict', `bucket with name ${b.name} already exists`);
        const rules = checkRules(b.retentionRules);
        if (typeof rules === 'string') return error(422, 'invalid', rules);
        const bucket = { id: this.id(), orgID: b.orgID, name: b.name, retentionRules: rules };
        this.buckets.push(bucket);
        return send(201, bucket);
      }
      case 'PATCH /api/v2/buckets/{id}': {
        const bucket = this.buckets.find((x) => url.pathname.endsWith(`/${x.id}`));
        if (!bucket) return error(404, 'not found', 'bucket not found');
        const rules = checkRules(b.retentionRules);
        if (typeof rules === 'string') return error(400, 'invalid', rules);
        bucket.retentionRules = rules;
        return send(200, bucket);
      }
      case 'GET /api/v2/tasks':
        if (!query.orgID && !query.org) return error(400, 'invalid', 'orgID is required');
        return send(200, {
          tasks: this.tasks.filter(
            (x) => (!query.orgID || x.orgID === query.orgID) && (!query.name || x.name === query.name),
          ),
        });
      case 'POST /api/v2/tasks': {
        if (typeof b.flux !== 'string')
          return error(400, 'invalid', 'failed to decode request: missing flux');
        if (b.orgID !== ORG.id) return error(400, 'invalid', 'organization not found');
        const name = /option task = \{name: "((?:[^"\\]|\\.)*)"/.exec(b.flux)?.[1];
        if (!name) return error(400, 'invalid', 'task must have a name (option task)');
        const task = {
          id: this.id(),
          orgID: ORG.id,
          name,
          flux: b.flux,
          status: String(b.status ?? 'active'),
          description: b.description as string | undefined,
        };
        this.tasks.push(task);
        return send(201, task);
      }
      case 'PATCH /api/v2/tasks/{id}': {
        const task = this.tasks.find((x) => url.pathname.endsWith(`/${x.id}`));
        if (!task) return error(404, 'not found', 'task not found');
        if (typeof b.flux === 'string') task.flux = b.flux;
        return send(200, task);
      }
      default:
        return error(404, 'not found', `path not found: ${req.method} ${url.pathname}`);
    }
  }
}

/** BucketRetentionRules: `{type: "expire", everySeconds ≥ 0}`; an error text when not. */
function checkRules(value: unknown): Bucket['retentionRules'] | string {
  if (value === undefined) return [{ type: 'expire', everySeconds: 30 * 86_400 }];
  if (!Array.isArray(value)) return 'retentionRules must be an array';
  for (const r of value) {
    if (r?.type !== 'expire' || !Number.isInteger(r.everySeconds) || r.everySeconds < 0)
      return `invalid retention rule ${JSON.stringify(r)}`;
  }
  return value;
}

const DAY = 86_400;
const standIn = new InfluxV2StandIn();
const url = () => `${standIn.url.replace('http', 'influxdb2')}?org=plant&bucket=raw`;
const options = { rawDays: 30, longTermDays: 730 };

describe('mantis influx setup on the InfluxDB 2 API (contract: a stand-in of the documented endpoints)', () => {
  beforeAll(() => standIn.start());
  afterAll(() => standIn.stop());
  beforeEach(() => {
    standIn.reset();
    vi.stubEnv('INFLUX_TOKEN', TOKEN);
  });
  afterEach(() => vi.unstubAllEnvs());

  it('--dry-run only reads: it prints the two buckets and the task it would make', async () => {
    const out: string[] = [];
    expect(await influxSetup(url(), { ...options, dryRun: true }, (l) => out.push(l))).toBe(3);
    expect(standIn.writes()).toEqual([]);
    expect(standIn.buckets).toEqual([]);
    expect(out).toEqual([
      `would run: POST /api/v2/buckets {"orgID":"${ORG.id}","name":"raw","retentionRules":[{"type":"expire","everySeconds":${30 * DAY}}]}`,
      `would run: POST /api/v2/buckets {"orgID":"${ORG.id}","name":"raw_long_term","retentionRules":[{"type":"expire","everySeconds":${730 * DAY}}]}`,
      'would run: POST /api/v2/tasks (mantis_downsample_1m_raw)',
      '3 change(s) to make',
    ]);
  });

  it('makes the buckets with their retention and the task, with the token on every call; a second run changes nothing', async () => {
    expect(await influxSetup(url(), options, () => {})).toBe(3);
    expect(standIn.requests.every((r) => r.authorization === `Token ${TOKEN}`)).toBe(true);
    expect(standIn.requests.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query)}`)).toEqual([
      'GET /api/v2/orgs?org=plant',
      `GET /api/v2/buckets?orgID=${ORG.id}&name=raw`,
      `GET /api/v2/buckets?orgID=${ORG.id}&name=raw_long_term`,
      `GET /api/v2/tasks?orgID=${ORG.id}&name=mantis_downsample_1m_raw`,
      'POST /api/v2/buckets?',
      'POST /api/v2/buckets?',
      'POST /api/v2/tasks?',
    ]);
    expect(standIn.buckets.map(({ name, retentionRules }) => ({ name, retentionRules }))).toEqual([
      { name: 'raw', retentionRules: [{ type: 'expire', everySeconds: 2_592_000 }] },
      { name: 'raw_long_term', retentionRules: [{ type: 'expire', everySeconds: 63_072_000 }] },
    ]);
    expect(standIn.tasks).toEqual([
      {
        id: expect.any(String),
        orgID: ORG.id,
        name: 'mantis_downsample_1m_raw',
        flux: downsampleTaskFlux('mantis_downsample_1m_raw', 'plant', 'raw', 'raw_long_term'),
        status: 'active',
        description: 'MANTIS: 1-minute aggregates of raw data',
      },
    ]);

    standIn.requests.length = 0;
    const out: string[] = [];
    expect(await influxSetup(url(), options, (l) => out.push(l))).toBe(0);
    expect(standIn.writes()).toEqual([]);
    expect(out).toEqual([
      'unchanged: bucket raw (30 days)',
      'unchanged: bucket raw_long_term (730 days)',
      'unchanged: task mantis_downsample_1m_raw',
      'InfluxDB is set up; nothing to change',
    ]);
  });

  it("the task's Flux: every minute, the last hour of readings and samples again, four aggregates into the long-term bucket", () => {
    const flux = downsampleTaskFlux('mantis_downsample_1m_raw', 'plant', 'raw', 'raw_long_term');
    expect(flux.split('\n')[0]).toBe(
      'option task = {name: "mantis_downsample_1m_raw", every: 1m, offset: 30s}',
    );
    expect(flux).toContain(
      'data = from(bucket: "raw")\n  |> range(start: -60m)\n' +
        '  |> filter(fn: (r) => (r._measurement == "readings" or r._measurement == "samples") and r._field == "value")\n',
    );
    for (const fn of ['mean', 'min', 'max', 'count']) {
      expect(flux).toContain(
        `data\n  |> aggregateWindow(every: 1m, fn: ${fn}, createEmpty: false)\n` +
          `  |> map(fn: (r) => ({r with _measurement: r._measurement + "_1m", _field: "${fn}", _value: float(v: r._value)}))\n` +
          '  |> to(bucket: "raw_long_term", org: "plant")\n',
      );
    }
    expect(downsampleTaskFlux('t', 'o', 'raw', 'lt', 90)).toContain('|> range(start: -90m)\n');
    // Names are Flux string literals: a quote in a bucket name cannot end the string.
    expect(downsampleTaskFlux('t', 'o', 'a"b', 'c')).toContain('from(bucket: "a\\"b")');
  });

  it('patches a changed retention and a task whose Flux was edited, and keeps forever as no rule', async () => {
    await influxSetup(url(), options, () => {});
    standIn.tasks[0].flux = 'option task = {name: "mantis_downsample_1m_raw", every: 1h}\n';
    standIn.requests.length = 0;
    const out: string[] = [];
    expect(await influxSetup(url(), { ...options, rawDays: 7, longTermDays: 0 }, (l) => out.push(l))).toBe(3);
    const [raw, longTerm] = standIn.buckets;
    expect(standIn.requests.filter((r) => r.method !== 'GET')).toEqual([
      {
        method: 'PATCH',
        path: `/api/v2/buckets/${raw.id}`,
        query: {},
        authorization: `Token ${TOKEN}`,
        body: { retentionRules: [{ type: 'expire', everySeconds: 7 * DAY }] },
      },
      {
        method: 'PATCH',
        path: `/api/v2/buckets/${longTerm.id}`,
        query: {},
        authorization: `Token ${TOKEN}`,
        body: { retentionRules: [] },
      },
      {
        method: 'PATCH',
        path: `/api/v2/tasks/${standIn.tasks[0].id}`,
        query: {},
        authorization: `Token ${TOKEN}`,
        body: { flux: downsampleTaskFlux('mantis_downsample_1m_raw', 'plant', 'raw', 'raw_long_term') },
      },
    ]);
    expect(longTerm.retentionRules).toEqual([]);
    expect(await influxSetup(url(), { ...options, rawDays: 7, longTermDays: 0 }, () => {})).toBe(0);
  });

  it('stops with the server’s answer on a wrong token, and names a missing organisation', async () => {
    vi.stubEnv('INFLUX_TOKEN', 'not-the-token');
    await expect(influxSetup(url(), options, () => {})).rejects.toThrow(
      'InfluxDB GET /api/v2/orgs?org=plant: HTTP 401 {"code":"unauthorized","message":"unauthorized access"}',
    );
    vi.stubEnv('INFLUX_TOKEN', TOKEN);
    const other = `${standIn.url.replace('http', 'influxdb2')}?org=elsewhere&bucket=raw`;
    await expect(influxSetup(other, options, () => {})).rejects.toThrow(
      'InfluxDB organisation "elsewhere" not found (org= in the URL)',
    );
    expect(standIn.writes()).toEqual([]);
  });

  it('mantis influx setup --dry-run from the command line: the token from INFLUX_TOKEN_FILE, nothing changed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mantis-influx-')), 'token');
    writeFileSync(file, `${TOKEN}\n`);
    const bin = fileURLToPath(new URL('../bin/mantis.js', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [bin, 'influx', 'setup', '--url', url(), '--raw-days', '14', '--long-term', 'archive', '--dry-run'],
      { env: { PATH: process.env.PATH ?? '', INFLUX_TOKEN_FILE: file } },
    );
    expect(stdout).toContain(
      `would run: POST /api/v2/buckets {"orgID":"${ORG.id}","name":"raw","retentionRules":[{"type":"expire","everySeconds":${14 * DAY}}]}`,
    );
    expect(stdout).toContain('"name":"archive"');
    expect(stdout).toContain('3 change(s) to make');
    expect(standIn.requests.length).toBe(4);
    expect(standIn.requests.every((r) => r.authorization === `Token ${TOKEN}`)).toBe(true);
    expect(standIn.writes()).toEqual([]);
  }, 60_000);
});
