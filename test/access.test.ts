import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import type { Role } from '../src/domain/access.ts';
import { bodyOf, type Client, client, startApp } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

/** The role every write route needs. A write route missing here fails the first test. */
const writeRoles: Record<string, Role> = {
  'POST /v1/readings': 'device',
  'PUT /v1/assets/{id}': 'admin',
  'PATCH /v1/assets/{id}': 'admin',
  'DELETE /v1/assets/{id}': 'admin',
  'DELETE /v1/sensors/{id}': 'admin',
  'POST /v1/sites': 'admin',
  'PATCH /v1/sites/{id}': 'admin',
  'DELETE /v1/sites/{id}': 'admin',
  'POST /v1/lines': 'admin',
  'PATCH /v1/lines/{id}': 'admin',
  'DELETE /v1/lines/{id}': 'admin',
  'POST /v1/work-orders': 'technician',
  'POST /v1/work-orders/{id}/transitions': 'technician',
  'POST /v1/alerts/{id}/acknowledge': 'technician',
  'POST /v1/alerts/{id}/resolve': 'technician',
  'POST /v1/downtime': 'technician',
  'PATCH /v1/downtime/{id}': 'technician',
  'POST /v1/production': 'technician',
  'POST /v1/keys': 'admin',
  'DELETE /v1/keys/{id}': 'admin',
};

const asset = (site: string, id: string) => ({
  siteId: site,
  lineId: `${site}-line`,
  name: id,
  kind: 'pump',
  sensors: [
    { id: `${id}.temp`, kind: 'temperature', unit: 'degC', sampleRateHz: 1, validMin: -50, validMax: 200 },
  ],
});

describe.each(engines)('access control on $name', (engine) => {
  let app: MantisApp;
  let admin: Client;
  let stop: () => Promise<void>;
  const tokens = {} as Record<Role, string>;
  const keyIds = {} as Record<Role, string>;

  beforeAll(async () => {
    ({ app, stop } = await engine.start({
      'http.authFailuresPerMinute': 1000,
      'ingest.requestsPerMinute': 1000,
    }));
    admin = client(app);
    for (const site of ['north', 'south']) {
      const response = await admin.request('PUT', `/v1/assets/${site}-pump`, asset(site, `${site}-pump`));
      expect(response.status).toBe(200);
    }
    for (const role of ['viewer', 'technician', 'admin', 'device'] as Role[]) {
      const response = await admin.request('POST', '/v1/keys', {
        name: `${role} holder`,
        role,
        ...(role === 'device' && { site: 'north' }),
      });
      expect(response.status).toBe(201);
      const body = await bodyOf(response);
      tokens[role] = body.token;
      keyIds[role] = body.key.id;
    }
  });

  afterAll(async () => {
    await stop?.();
  });

  const as = (role: Role) => client(app, tokens[role]);

  it('declares a role for every write route of the OpenAPI document', async () => {
    const doc = await bodyOf(await fetch(`${app.url}/openapi.json`));
    const writes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(writes.sort()).toEqual(Object.keys(writeRoles).sort());
  });

  it('refuses every write to the roles below the one it needs, with 403 and before any change', async () => {
    const order: Record<Role, number> = { device: 0, viewer: 1, technician: 2, admin: 3 };
    for (const [route, needed] of Object.entries(writeRoles)) {
      const [method, template] = route.split(' ');
      const path = template.replace('{id}', 'no-such-id');
      for (const role of ['viewer', 'technician', 'admin', 'device'] as Role[]) {
        const allowed =
          role === 'admin' ||
          role === needed ||
          (needed !== 'device' && role !== 'device' && order[role] >= order[needed]);
        // An empty body: allowed roles get past authorisation to validation (4xx), refused ones stop at 403.
        const response = await as(role).request(method, path, method === 'DELETE' ? undefined : {});
        const status = response.status;
        if (allowed) expect([route, role, status]).not.toEqual([route, role, 403]);
        else {
          expect([route, role, status]).toEqual([route, role, 403]);
          expect((await bodyOf(response)).message).toContain(`it needs ${needed}`);
        }
        expect([route, role, status < 500 && status !== 401]).toEqual([route, role, true]);
      }
    }
  });

  it('lets every role but device read, and a technician work an order through', async () => {
    for (const role of ['viewer', 'technician', 'admin'] as Role[]) {
      expect((await as(role).request('GET', '/v1/assets')).status).toBe(200);
    }
    expect((await as('device').request('GET', '/v1/assets')).status).toBe(403);
    const created = await as('technician').request('POST', '/v1/work-orders', {
      assetId: 'north-pump',
      title: 'Check the seal',
      priority: 'medium',
    });
    expect(created.status).toBe(201);
    const order = await bodyOf(created);
    expect(order.events[0].actor).toBe(`technician holder (${keyIds.technician})`);
    const moved = await as('technician').request('POST', `/v1/work-orders/${order.id}/transitions`, {
      to: 'assigned',
      assignee: 'dana',
    });
    expect(moved.status).toBe(200);
    const viewerTry = await as('viewer').request('POST', `/v1/work-orders/${order.id}/transitions`, {
      to: 'in_progress',
    });
    expect(viewerTry.status).toBe(403);
    expect((await admin.json<{ status: string }>(`/v1/work-orders/${order.id}`)).status).toBe('assigned');
  });

  it('tells every credential who it is', async () => {
    for (const role of ['viewer', 'technician', 'admin', 'device'] as Role[]) {
      expect(await as(role).json('/v1/me')).toEqual({
        actor: `${role} holder (${keyIds[role]})`,
        role,
        siteId: role === 'device' ? 'north' : null,
      });
    }
    expect(await admin.json('/v1/me')).toEqual({ actor: 'api-token', role: 'admin', siteId: null });
  });

  it('answers the same 401 whatever part of the credentials is wrong', async () => {
    const secret = tokens.viewer.slice(-43);
    const wrong = [
      undefined,
      'Bearer ',
      'Bearer not-a-token',
      `Basic ${tokens.viewer}`,
      `Bearer ${tokens.viewer.replace(secret, 'A'.repeat(43))}`,
      `Bearer ${tokens.viewer.replace(/mnt_[0-9a-f]{12}/, 'mnt_000000000000')}`,
      `Bearer ${app.token}x`,
    ];
    const bodies = new Set<string>();
    for (const authorization of wrong) {
      const response = await fetch(`${app.url}/v1/assets`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      bodies.add(await response.text());
    }
    expect([...bodies]).toEqual(['{"error":"unauthorized","message":"missing or invalid credentials"}']);
  });

  it('stores only a digest of each secret, and lists keys without it', async () => {
    const rows = await (app.services.db as NonNullable<typeof app.services.db>).query<
      Record<string, unknown>
    >('SELECT * FROM api_keys');
    const stored = JSON.stringify(rows);
    for (const token of Object.values(tokens)) expect(stored).not.toContain(token.slice(-43));
    const { items } = await admin.json<{ items: Record<string, unknown>[] }>('/v1/keys');
    expect(items.map((k) => k.role).sort()).toEqual(['admin', 'device', 'technician', 'viewer']);
    expect(items.every((k) => !('secretSha256' in k) && !('token' in k))).toBe(true);
    expect(items.find((k) => k.role === 'device')).toMatchObject({ siteId: 'north' });
  });

  it('refuses a device token without a site, and a site on another role, naming the field', async () => {
    const noSite = await admin.request('POST', '/v1/keys', { name: 'gw', role: 'device' });
    expect([noSite.status, (await bodyOf(noSite)).field]).toEqual([422, 'body.site']);
    const scoped = await admin.request('POST', '/v1/keys', { name: 'v', role: 'viewer', site: 'north' });
    expect([scoped.status, (await bodyOf(scoped)).field]).toEqual([422, 'body.site']);
    const unknown = await admin.request('POST', '/v1/keys', { name: 'gw', role: 'device', site: 'atlantis' });
    // A site that does not exist is a missing resource: 404, naming the field.
    expect([unknown.status, await bodyOf(unknown)]).toEqual([
      404,
      { error: 'not_found', message: 'body.site: site atlantis does not exist', field: 'body.site' },
    ]);
  });

  it("keeps a device token to its own site's sensors", async () => {
    const ts = Date.now() - 1000;
    const response = await as('device').request('POST', '/v1/readings', [
      { sensorId: 'north-pump.temp', ts, value: 20 },
      { sensorId: 'south-pump.temp', ts, value: 21 },
    ]);
    expect(response.status).toBe(202);
    expect(await bodyOf(response)).toEqual({
      accepted: 1,
      rejected: [{ index: 1, field: 'sensorId', reason: 'unknown sensor "south-pump.temp"' }],
    });
  });

  it('records every authenticated write in the audit log, refused ones too', async () => {
    await as('viewer').request('POST', '/v1/alerts/nope/acknowledge');
    const { items } = await admin.json<{ items: Record<string, unknown>[] }>('/v1/audit?limit=1000');
    expect(items[0]).toMatchObject({
      actor: `viewer holder (${keyIds.viewer})`,
      role: 'viewer',
      method: 'POST',
      route: '/v1/alerts/:id/acknowledge',
      path: '/v1/alerts/nope/acknowledge',
      status: 403,
    });
    expect(items).toContainEqual(
      expect.objectContaining({ actor: 'api-token', route: '/v1/keys', status: 201, method: 'POST' }),
    );
    // Ingestion is counted by metrics, not audited one request at a time.
    expect(items.some((e) => e.route === '/v1/readings')).toBe(false);
    const page = await admin.json<{ items: { id: string }[]; next: string }>('/v1/audit?limit=2');
    const after = await admin.json<{ items: { id: string }[] }>(`/v1/audit?limit=2&cursor=${page.next}`);
    expect(Number(after.items[0].id)).toBeLessThan(Number(page.items[1].id));
    expect((await as('technician').request('GET', '/v1/audit')).status).toBe(403);
  });

  it('refuses a revoked key at once', async () => {
    const created = await bodyOf(await admin.request('POST', '/v1/keys', { name: 'temp', role: 'viewer' }));
    expect((await client(app, created.token).request('GET', '/v1/assets')).status).toBe(200);
    expect((await admin.request('DELETE', `/v1/keys/${created.key.id}`)).status).toBe(204);
    expect((await client(app, created.token).request('GET', '/v1/assets')).status).toBe(401);
    expect((await admin.request('DELETE', `/v1/keys/${created.key.id}`)).status).toBe(404);
  });
});

describe('rate limits', () => {
  let app: MantisApp;

  beforeAll(async () => {
    // The test client is the trusted proxy: X-Forwarded-For names the client address.
    app = await startApp({
      'http.authFailuresPerMinute': 5,
      'ingest.requestsPerMinute': 3,
      'http.trustProxy': '127.0.0.1',
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('limits ingest requests per credential, with Retry-After', async () => {
    const admin = client(app);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await admin.request('POST', '/v1/readings', [])).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
    const limited = await admin.request('POST', '/v1/readings', []);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await bodyOf(limited)).message).toMatch(/^at most 3 ingest requests a minute per credential/);
    // Another credential has its own budget.
    const key = await bodyOf(await admin.request('POST', '/v1/keys', { name: 'admin 2', role: 'admin' }));
    expect((await client(app, key.token).request('POST', '/v1/readings', [])).status).toBe(400);
  });

  it('answers 429 to failures past the budget of an address, and still serves valid credentials from it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await client(app, `wrong-${i}`).request('GET', '/v1/assets')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await client(app, 'wrong-7').request('GET', '/v1/assets');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client behind the same address: its valid credentials are not its neighbours' failures.
    expect((await client(app).request('GET', '/v1/assets')).status).toBe(200);
    const admin = client(app);
    const viewer = await bodyOf(await admin.request('POST', '/v1/keys', { name: 'tablet', role: 'viewer' }));
    expect((await client(app, viewer.token).request('GET', '/v1/assets')).status).toBe(200);
  });

  it('counts failures per forwarded client address behind a trusted proxy', async () => {
    const from = (address: string, token: string) =>
      client(app, token).request('GET', '/v1/assets', undefined, { 'x-forwarded-for': address });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await from('203.0.113.7', `bad-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await from('203.0.113.8', 'bad')).status).toBe(401);
  });

  it("counts failures per API key too, whatever the address, and still serves the key's holder", async () => {
    const admin = client(app);
    const key = await bodyOf(await admin.request('POST', '/v1/keys', { name: 'kiosk', role: 'viewer' }));
    const guess = `mnt_${key.key.id}_${'A'.repeat(43)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await client(app, guess).request('GET', '/v1/me', undefined, {
        'x-forwarded-for': `198.51.100.${i + 1}`,
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const holder = await client(app, key.token).request('GET', '/v1/me', undefined, {
      'x-forwarded-for': '198.51.100.1',
    });
    expect(holder.status).toBe(200);
  });
});
