import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { setAssetHealth } from '../src/storage/postgres/registry.ts';
import { bodyOf, type Client, client, startApp } from './helpers/app.ts';

const temp = (id: string) => ({
  id,
  kind: 'temperature',
  unit: 'degC',
  sampleRateHz: 1,
  validMin: -50,
  validMax: 200,
});
const asset = (id: string, lineId = 'c-1', siteId = 'contract') => ({
  siteId,
  lineId,
  name: `Pump ${id}`,
  kind: 'pump',
  sensors: [temp(`${id}.temp`)],
});
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

// Every answer below is also checked by the server against the schema its operation documents for that status
// (http.checkResponses=on): a body that does not match, or an undocumented status, would be a 500.
describe('the registry routes answer exactly what their document says', () => {
  let app: MantisApp;
  let api: Client;
  // biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is read as plain JSON.
  let doc: any;

  const send = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await api.request(method, path, body, headers);
    const text = await response.text();
    return {
      status: response.status,
      etag: response.headers.get('etag'),
      location: response.headers.get('location'),
      body: text ? JSON.parse(text) : null,
    };
  };
  const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

  beforeAll(async () => {
    app = await startApp();
    api = client(app);
    doc = await bodyOf(await fetch(`${app.url}/openapi.json`));
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('creates, reads, renames and retires sites and lines, with Location and ETag', async () => {
    const site = await send('POST', '/v1/sites', { id: 'contract', name: 'Contract plant' });
    expect([site.status, site.location, site.etag, site.body]).toEqual([
      201,
      '/v1/sites/contract',
      '"1"',
      {
        id: 'contract',
        name: 'Contract plant',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        retiredAt: null,
        version: 1,
      },
    ]);
    expect((await send('POST', '/v1/sites', { id: 'contract', name: 'x' })).status).toBe(409);
    const line = await send('POST', '/v1/lines', { id: 'c-1', siteId: 'contract', name: 'Line 1' });
    expect([line.status, line.location, line.body.siteId]).toEqual([201, '/v1/lines/c-1', 'contract']);
    const renamed = await send('PATCH', '/v1/lines/c-1', { name: 'Line one' }, { 'if-match': '"1"' });
    expect([renamed.status, renamed.etag, renamed.body.name]).toEqual([200, '"2"', 'Line one']);
    const stale = await send('PATCH', '/v1/lines/c-1', { name: 'x' }, { 'if-match': '"1"' });
    expect([stale.status, stale.body.message]).toEqual([412, 'line c-1 is at version 2, not 1']);
    expect((await send('PATCH', '/v1/lines/nowhere', { name: 'x' })).status).toBe(404);
    expect((await send('GET', '/v1/sites/contract')).body.name).toBe('Contract plant');
    expect((await send('GET', '/v1/sites/nowhere')).status).toBe(404);
  });

  it('answers 404 naming body.siteId for a line of a site that does not exist, 409 for a retired one', async () => {
    const missing = await send('POST', '/v1/lines', { id: 'x-1', siteId: 'atlantis', name: 'X' });
    expect([missing.status, missing.body]).toEqual([
      404,
      { error: 'not_found', field: 'body.siteId', message: 'body.siteId: site atlantis does not exist' },
    ]);
    await send('POST', '/v1/sites', { id: 'old-site', name: 'Old' });
    expect((await send('DELETE', '/v1/sites/old-site', undefined, { 'if-match': '"1"' })).status).toBe(200);
    const retired = await send('POST', '/v1/lines', { id: 'x-2', siteId: 'old-site', name: 'X' });
    expect([retired.status, retired.body.message]).toEqual([409, 'body.siteId: site old-site is retired']);
  });

  it('reads a retired site or line only when asked for retired ones, and lists it by status', async () => {
    const gone = await send('GET', '/v1/sites/old-site');
    expect([gone.status, gone.body.message]).toEqual([
      404,
      expect.stringMatching(
        /^site old-site was retired at \d{4}-\d\d-\d\dT.+Z; ask with retired=true to read it$/,
      ),
    ]);
    const asked = await send('GET', '/v1/sites/old-site?retired=true');
    expect([asked.status, asked.body.retiredAt, asked.etag]).toEqual([200, expect.any(String), '"2"']);
    expect((await send('GET', '/v1/sites/old-site?retired=false')).status).toBe(404);
    expect((await send('DELETE', '/v1/sites/old-site')).status).toBe(409);
    expect(ids((await send('GET', '/v1/sites?status=retired')).body)).toEqual(['old-site']);
    expect(ids((await send('GET', '/v1/sites')).body)).toEqual(['contract']);
    const unknown = await send('GET', '/v1/sites/old-site?retired=yes');
    expect([unknown.status, unknown.body.field]).toEqual([400, 'querystring.retired']);
  });

  it('pages sites and lines with the last id as cursor, and refuses a cursor that is not an id', async () => {
    for (const id of ['c-2', 'c-3']) await send('POST', '/v1/lines', { id, siteId: 'contract', name: id });
    const first = await send('GET', '/v1/lines?site=contract&limit=2');
    expect([ids(first.body), first.body.next]).toEqual([['c-1', 'c-2'], 'c-2']);
    const second = await send('GET', `/v1/lines?site=contract&limit=2&cursor=${first.body.next}`);
    expect([ids(second.body), second.body.next]).toEqual([['c-3'], null]);
    // Any id is a position: the lines after it.
    expect(ids((await send('GET', '/v1/lines?cursor=c-20')).body)).toEqual(['c-3']);
    const bad = await send('GET', '/v1/lines?cursor=eyJhZnRlciI6ImMtMSJ9%3D');
    expect([bad.status, bad.body.field]).toEqual([400, 'querystring.cursor']);
    const unknown = await send('GET', '/v1/sites?site=contract');
    expect([unknown.status, unknown.body.message]).toEqual([400, 'querystring.site: is not a known field']);
  });

  it('registers an asset with its sensors, and refuses validMin not below validMax naming the field', async () => {
    const put = await send('PUT', '/v1/assets/c-p1', asset('c-p1'));
    expect([put.status, put.etag, put.body.sensors]).toEqual([
      200,
      '"1"',
      [
        {
          ...temp('c-p1.temp'),
          assetId: 'c-p1',
          rateVaries: false,
          retiredAt: null,
          bearings: null,
          axis: null,
        },
      ],
    ]);
    const inverted = await send('PUT', '/v1/assets/c-p9', {
      ...asset('c-p9'),
      sensors: [{ ...temp('c-p9.temp'), validMin: 10, validMax: 10 }],
    });
    expect([inverted.status, inverted.body.message]).toEqual([
      422,
      'body.sensors.0.validMax: must be greater than validMin',
    ]);
    expect((await send('GET', '/v1/assets/c-p9')).status).toBe(404);
    const stale = await send('PUT', '/v1/assets/c-p1', asset('c-p1'), { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
  });

  it('answers 404 naming the field for a line or a speed sensor that does not exist', async () => {
    const line = await send('PATCH', '/v1/assets/c-p1', { lineId: 'no-line' });
    expect([line.status, line.body]).toEqual([
      404,
      { error: 'not_found', field: 'body.lineId', message: 'body.lineId: line no-line does not exist' },
    ]);
    const speed = await send('PATCH', '/v1/assets/c-p1', {
      machine: { speed: { source: 'sensor', sensorId: 'c-p1.speed' } },
    });
    expect([speed.status, speed.body.field, speed.body.message]).toEqual([
      404,
      'body.machine.speed.sensorId',
      'body.machine.speed.sensorId: c-p1.speed is not an active sensor of asset c-p1',
    ]);
    expect((await send('PATCH', '/v1/assets/no-asset', { name: 'x' })).status).toBe(404);
    const moved = await send('PATCH', '/v1/assets/c-p1', { lineId: 'c-2' }, { 'if-match': '"1"' });
    expect([moved.status, moved.etag, moved.body.lineId]).toEqual([200, '"2"', 'c-2']);
  });

  it('pages assets by id with the last id, and by health with <listing>~<offset>[~<lastId>]', async () => {
    for (const id of ['c-p2', 'c-p3']) await send('PUT', `/v1/assets/${id}`, asset(id));
    const byId = await send('GET', '/v1/assets?site=contract&limit=2');
    expect([ids(byId.body), byId.body.next]).toEqual([['c-p1', 'c-p2'], 'c-p2']);
    expect(ids((await send('GET', '/v1/assets?site=contract&cursor=c-p2')).body)).toEqual(['c-p3']);

    await app.services.db?.transaction((tx) =>
      setAssetHealth(
        tx,
        new Map([
          ['c-p1', 70],
          ['c-p2', 20],
          ['c-p3', 50],
        ]),
        new Date(),
      ),
    );
    const first = await send('GET', '/v1/assets?site=contract&sort=health&limit=2');
    expect(ids(first.body)).toEqual(['c-p2', 'c-p3']);
    expect(first.body.next).toMatch(new RegExp(`^${UUID}~2$`));
    // Registered while the client pages: listed after the ranked ones, the cursor then names the last of them.
    for (const id of ['c-p4', 'c-p5']) await send('PUT', `/v1/assets/${id}`, asset(id));
    const second = await send(
      'GET',
      `/v1/assets?site=contract&sort=health&limit=2&cursor=${first.body.next}`,
    );
    expect(ids(second.body)).toEqual(['c-p1', 'c-p4']);
    const [listing] = first.body.next.split('~');
    expect(second.body.next).toBe(`${listing}~3~c-p4`);
    const third = await send(
      'GET',
      `/v1/assets?site=contract&sort=health&limit=2&cursor=${second.body.next}`,
    );
    expect([ids(third.body), third.body.next]).toEqual([['c-p5'], null]);

    // A cursor of the other sort's form is refused; a listing that does not exist is not found.
    const idForm = await send('GET', '/v1/assets?site=contract&sort=health&cursor=c-p2');
    expect([idForm.status, idForm.body.field, idForm.body.message]).toEqual([
      422,
      'querystring.cursor',
      expect.stringContaining('is the cursor of a listing sorted by id'),
    ]);
    const listingForm = await send('GET', `/v1/assets?site=contract&cursor=${first.body.next}`);
    expect([listingForm.status, listingForm.body.message]).toEqual([
      422,
      expect.stringContaining('is the cursor of a listing sorted by name or health'),
    ]);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const missing = await send('GET', `/v1/assets?site=contract&sort=name&cursor=${unknown}~2~c-p1`);
    expect([missing.status, missing.body.field, missing.body.message]).toEqual([
      404,
      'querystring.cursor',
      `querystring.cursor: listing ${unknown} does not exist or has expired (a listing sorted by name is ` +
        'kept for 1 hour); start again without a cursor',
    ]);
    const otherFilters = await send(
      'GET',
      `/v1/assets?site=contract&sort=health&status=all&cursor=${first.body.next}`,
    );
    expect([otherFilters.status, otherFilters.body.message]).toEqual([
      422,
      'querystring.cursor: belongs to a listing with other filters or order',
    ]);
    const malformed = await send('GET', `/v1/assets?sort=health&cursor=${unknown}~x`);
    expect([malformed.status, malformed.body.field]).toEqual([400, 'querystring.cursor']);
  });

  it('reads an asset with its latest features, remaining useful life, staleness and threshold', async () => {
    const read = await send('GET', '/v1/assets/c-p1');
    expect([read.status, read.etag]).toEqual([200, '"2"']);
    expect(read.body).toMatchObject({
      id: 'c-p1',
      health: 70,
      lastReadingAt: null,
      stale: false,
      latestFeatures: {},
      healthModel: null,
      alertBelow: expect.any(Number),
      remainingUsefulLife: { status: 'insufficient-trend', sensorId: 'c-p1.temp', fittedOn: null },
    });
    expect(read.body.sensors[0]).toMatchObject({ id: 'c-p1.temp', lastReadingAt: null, stale: false });
  });

  it('retires a sensor: 204, then 404 unless asked for retired ones; 409 twice; 404 for none', async () => {
    expect((await send('DELETE', '/v1/sensors/c-p3.temp')).status).toBe(204);
    const gone = await send('GET', '/v1/sensors/c-p3.temp');
    expect([gone.status, gone.body.message]).toEqual([
      404,
      expect.stringMatching(/^sensor c-p3\.temp was retired at .+; ask with retired=true to read it$/),
    ]);
    const asked = await send('GET', '/v1/sensors/c-p3.temp?retired=true');
    expect([asked.status, asked.body.assetId, asked.body.retiredAt]).toEqual([
      200,
      'c-p3',
      expect.any(String),
    ]);
    expect((await send('DELETE', '/v1/sensors/c-p3.temp')).status).toBe(409);
    expect((await send('DELETE', '/v1/sensors/no-sensor')).status).toBe(404);
    // Its asset is still active, and lists it as retired.
    expect((await send('GET', '/v1/assets/c-p3')).body.sensors[0].retiredAt).toEqual(expect.any(String));
  });

  it('retires an asset with its sensors: reads of both answer 404 unless asked for retired ones', async () => {
    const retired = await send('DELETE', '/v1/assets/c-p2', undefined, { 'if-match': '"1"' });
    expect([retired.status, retired.etag, typeof retired.body.retiredAt]).toEqual([200, '"2"', 'string']);
    const gone = await send('GET', '/v1/assets/c-p2');
    expect([gone.status, gone.body.message]).toEqual([
      404,
      expect.stringMatching(/^asset c-p2 was retired at .+; ask with retired=true to read it$/),
    ]);
    const asked = await send('GET', '/v1/assets/c-p2?retired=true');
    expect([asked.status, asked.body.retiredAt, asked.body.sensors[0].stale]).toEqual([
      200,
      expect.any(String),
      false,
    ]);
    expect((await send('GET', '/v1/sensors/c-p2.temp')).status).toBe(404);
    expect((await send('GET', '/v1/sensors/c-p2.temp?retired=true')).status).toBe(200);
    expect((await send('DELETE', '/v1/assets/c-p2')).status).toBe(409);
    expect((await send('DELETE', '/v1/assets/no-asset')).status).toBe(404);
    expect(ids((await send('GET', '/v1/assets?status=retired')).body)).toEqual(['c-p2']);
  });

  it('lists the bearing catalogue, and refuses a query parameter it does not take', async () => {
    const { status, body } = await send('GET', '/v1/bearings');
    expect([status, body.items.length]).toEqual([200, 3]);
    expect((await send('GET', '/v1/bearings?x=1')).status).toBe(400);
  });

  it('documents each operation’s statuses, the cursor forms and examples that its schemas take', () => {
    const responses = (path: string, method: string) =>
      Object.keys(doc.paths[path][method].responses).filter(
        (s) => !['400', '401', '403', '429', '500', '503'].includes(s),
      );
    expect(responses('/v1/sites', 'post')).toEqual(['201', '409', '413', '415']);
    expect(responses('/v1/lines', 'post')).toEqual(['201', '404', '409', '413', '415']);
    expect(responses('/v1/sites/{id}', 'delete')).toEqual(['200', '404', '409', '412']);
    expect(responses('/v1/assets/{id}', 'put')).toEqual(['200', '404', '409', '412', '413', '415', '422']);
    expect(responses('/v1/sensors/{id}', 'delete')).toEqual(['204', '404', '409']);
    expect(doc.paths['/v1/sites'].post.responses['201'].headers.location.schema.type).toBe('string');

    const cursor = doc.paths['/v1/assets'].get.parameters.find((p: { name: string }) => p.name === 'cursor');
    const pattern = new RegExp(cursor.schema.pattern);
    for (const good of [
      'c-p2',
      '0a1b2c3d-0000-4000-8000-000000000000~2',
      '0a1b2c3d-0000-4000-8000-000000000000~3~c-p4',
    ])
      expect(pattern.test(good), good).toBe(true);
    for (const bad of ['', 'eyJ9=', '0a1b2c3d-0000-4000-8000-000000000000~', 'x~1'])
      expect(pattern.test(bad), bad).toBe(false);

    // The examples the document shows are accepted by the schemas they illustrate.
    const ajv = new Ajv({ strict: false, allowUnionTypes: true });
    (formats as unknown as (ajv: Ajv) => Ajv)(ajv);
    const examples = [
      doc.paths['/v1/sites'].post.requestBody.content['application/json'],
      doc.paths['/v1/lines'].post.requestBody.content['application/json'],
      doc.paths['/v1/assets/{id}'].put.requestBody.content['application/json'],
      doc.paths['/v1/assets/{id}'].get.responses['200'].content['application/json'],
    ];
    for (const media of examples) {
      const { examples: listed, ...schema } = media.schema;
      const example = media.example ?? listed?.[0];
      expect(example).toBeDefined();
      const validate = ajv.compile(schema);
      expect([validate(example), validate.errors ?? null]).toEqual([true, null]);
    }
    const put = examples[2].example ?? examples[2].schema.examples[0];
    expect(put.sensors[0]).toMatchObject({ validMin: -500, validMax: 500 });
  });

  it('accepts the document’s own example of PUT /v1/assets/{id}', async () => {
    const media = doc.paths['/v1/assets/{id}'].put.requestBody.content['application/json'];
    const example = media.example ?? media.schema.examples[0];
    const put = await send('PUT', '/v1/assets/pump-1', example);
    expect([put.status, put.body.machine]).toEqual([200, example.machine]);
    const read = await send('GET', '/v1/assets/pump-1');
    expect(read.body.sensors.map((s: { id: string }) => s.id)).toEqual(['pump-1.temp', 'pump-1.vib']);
  });
});
