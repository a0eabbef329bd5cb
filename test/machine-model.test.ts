import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { bodyOf, type Client, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

const vib = {
  id: 'mm-pump.vib',
  kind: 'vibration',
  unit: 'm/s²',
  sampleRateHz: 12_800,
  validMin: -500,
  validMax: 500,
  axis: 'radial',
  bearings: [
    { designation: '6205', location: 'drive end' },
    // A bearing outside the catalogue, given by its geometry.
    {
      designation: '6206',
      location: 'non-drive end',
      geometry: { rollingElements: 9, ballDiameterMm: 9.5, pitchDiameterMm: 46.5, contactAngleDeg: 0 },
    },
  ],
};
const speed = {
  id: 'mm-pump.speed',
  kind: 'speed',
  unit: 'rpm',
  sampleRateHz: 1,
  validMin: 0,
  validMax: 10_000,
};
const temp = {
  id: 'mm-pump.temp',
  kind: 'temperature',
  unit: 'degC',
  sampleRateHz: 1,
  validMin: -50,
  validMax: 200,
};
const fixed = { speed: { source: 'fixed', rpm: 1797 }, severity: { group: 2, foundation: 'rigid' } };
const pump = (machine: unknown = fixed, sensors: unknown[] = [vib, speed, temp]) => ({
  siteId: 'mm-plant',
  lineId: 'mm-line',
  name: 'Feed pump',
  kind: 'pump',
  machine,
  sensors,
});

describe.each(engines)('the machine model in the asset registry, on $name', (engine) => {
  let app: MantisApp;
  let api: Client;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    api = client(app);
  });

  afterAll(async () => {
    await stop?.();
  });

  const send = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await api.request(method, path, body, headers);
    return { status: response.status, etag: response.headers.get('etag'), body: await bodyOf(response) };
  };

  it('stores an asset’s machine model and its sensors’ bearings and axis, and reads them back', async () => {
    const other = { ...speed, id: 'mm-other.speed' };
    expect((await send('PUT', '/v1/assets/mm-other', pump(null, [other]))).status).toBe(200);
    const put = await send('PUT', '/v1/assets/mm-pump', pump());
    expect([put.status, put.body.machine]).toEqual([200, fixed]);
    const read = await send('GET', '/v1/assets/mm-pump');
    expect(read.body.machine).toEqual(fixed);
    const byId = Object.fromEntries(read.body.sensors.map((s: { id: string }) => [s.id, s]));
    expect([byId[vib.id].bearings, byId[vib.id].axis]).toEqual([vib.bearings, 'radial']);
    expect([byId[temp.id].bearings, byId[temp.id].axis]).toEqual([null, null]);
    expect((await send('GET', `/v1/sensors/${vib.id}`)).body.bearings).toEqual(vib.bearings);
    const listed = await send('GET', '/v1/assets?site=mm-plant');
    expect(listed.body.items.map((a: { id: string; machine: unknown }) => [a.id, a.machine])).toEqual([
      ['mm-other', null],
      ['mm-pump', fixed],
    ]);
  });

  it('changes the machine model by PATCH with If-Match, and removes it with null', async () => {
    const read = await send('GET', '/v1/assets/mm-pump');
    const bySensor = { speed: { source: 'sensor', sensorId: speed.id } };
    const patched = await send(
      'PATCH',
      '/v1/assets/mm-pump',
      { machine: bySensor },
      { 'if-match': read.etag as string },
    );
    expect([patched.status, patched.body.machine, patched.etag]).toEqual([
      200,
      bySensor,
      `"${read.body.version + 1}"`,
    ]);
    const stale = await send(
      'PATCH',
      '/v1/assets/mm-pump',
      { machine: fixed },
      { 'if-match': read.etag as string },
    );
    expect(stale.status).toBe(412);
    // The speed sensor the model reads cannot be retired from under it.
    const retire = await send('DELETE', `/v1/sensors/${speed.id}`);
    expect([retire.status, retire.body.message]).toEqual([
      409,
      `sensor ${speed.id} gives the running speed of asset mm-pump's machine model: change its speed setting first`,
    ]);
    const estimated = { speed: { source: 'estimated', minHz: 20, maxHz: 40, minProminenceDb: 12 } };
    expect((await send('PATCH', '/v1/assets/mm-pump', { machine: estimated })).body.machine).toEqual(
      estimated,
    );
    const removed = await send('PATCH', '/v1/assets/mm-pump', { machine: null });
    expect([removed.status, removed.body.machine, removed.body.name]).toEqual([200, null, 'Feed pump']);
    // A PUT replaces the whole asset: without a machine model it has none.
    await send('PUT', '/v1/assets/mm-pump', pump());
    const { machine: _machine, ...withoutMachine } = pump();
    expect((await send('PUT', '/v1/assets/mm-pump', withoutMachine)).body.machine).toBeNull();
  });

  const withBearing = (bearing: unknown, unit = 'm/s²') =>
    pump(fixed, [{ ...vib, unit, bearings: [bearing] }, speed]);
  const badInputs: [string, unknown, string, string][] = [
    [
      'a designation not in the catalogue, without geometry',
      withBearing({ designation: '6309' }),
      'body.sensors.0.bearings.0.designation',
      '"6309" is not in the catalogue',
    ],
    [
      'a ball diameter not below the pitch diameter',
      withBearing({
        designation: 'x-1',
        geometry: { rollingElements: 9, ballDiameterMm: 40, pitchDiameterMm: 39, contactAngleDeg: 0 },
      }),
      'body.sensors.0.bearings.0.geometry.pitchDiameterMm',
      'larger than ballDiameterMm (40)',
    ],
    [
      'a geometry field the schema does not know',
      withBearing({
        designation: 'x-2',
        geometry: {
          rollingElements: 9,
          ballDiameterMm: 8,
          pitchDiameterMm: 39,
          contactAngleDeg: 0,
          width: 15,
        },
      }),
      'body.sensors.0.bearings.0.geometry.width',
      'is not a known field',
    ],
    [
      'a fixed speed of 0 rpm',
      pump({ speed: { source: 'fixed', rpm: 0 } }),
      'body.machine.speed.rpm',
      'must be > 0',
    ],
    [
      'a fixed speed with a sensor id',
      pump({ speed: { source: 'fixed', rpm: 1797, sensorId: speed.id } }),
      'body.machine.speed.sensorId',
      'is not a known field',
    ],
    [
      'an estimated speed whose range is upside down',
      pump({ speed: { source: 'estimated', minHz: 40, maxHz: 20 } }),
      'body.machine.speed.maxHz',
      'expected a frequency above minHz (40 Hz), got 20',
    ],
    [
      'a speed sensor that is not of kind speed',
      pump({ speed: { source: 'sensor', sensorId: temp.id } }),
      'body.machine.speed.sensorId',
      'sensor mm-pump.temp is of kind temperature',
    ],
    [
      'machine group 3',
      pump({ ...fixed, severity: { group: 3, foundation: 'rigid' } }),
      'body.machine.severity.group',
      'must be equal to one of the allowed values',
    ],
    [
      'zone boundaries out of order',
      pump({ ...fixed, severity: { group: 2, foundation: 'rigid', boundaries: { bc: 1 } } }),
      'body.machine.severity.boundaries.bc',
      'expected mm/s above 1.4, got 1',
    ],
    [
      'a vibration sensor in mm with bearings',
      withBearing({ designation: '6205' }, 'mm'),
      'body.sensors.0.unit',
      'measures acceleration',
    ],
    [
      'bearings on a temperature sensor',
      pump(fixed, [vib, speed, { ...temp, bearings: [{ designation: '6205' }] }]),
      'body.sensors.2.bearings',
      'only a vibration sensor has bearings; this one is of kind temperature',
    ],
    [
      'an axis that is neither radial nor axial',
      pump(fixed, [{ ...vib, axis: 'tangential' }, speed]),
      'body.sensors.0.axis',
      'must be equal to one of the allowed values',
    ],
    [
      'a speed sensor whose unit is not a speed',
      pump({ speed: { source: 'sensor', sensorId: speed.id } }, [vib, { ...speed, unit: 'bar' }]),
      'body.sensors.1.unit',
      'the running speed is read in "rpm", "RPM", "r/min", "1/min", "min⁻¹", "min-1", "Hz", "r/s", not "bar"',
    ],
    [
      'a catalogue designation given with another geometry',
      withBearing({
        designation: '6205',
        location: 'drive end',
        geometry: { rollingElements: 12, ballDiameterMm: 5, pitchDiameterMm: 40, contactAngleDeg: 0 },
      }),
      'body.sensors.0.bearings.0.geometry',
      "differs from the catalogue's 6205 (rollingElements 12, catalogue 9): leave the geometry out",
    ],
    [
      'a catalogue designation whose pitch diameter is off by more than rounding',
      withBearing({
        designation: '6205',
        geometry: { rollingElements: 9, ballDiameterMm: 7.94, pitchDiameterMm: 39.2, contactAngleDeg: 0 },
      }),
      'body.sensors.0.bearings.0.geometry',
      "differs from the catalogue's 6205 (pitchDiameterMm 39.2, catalogue 39.04)",
    ],
    [
      'the same bearing listed twice on a sensor',
      pump(fixed, [
        {
          ...vib,
          bearings: [vib.bearings[0], vib.bearings[1], { designation: ' 6205', location: 'drive end' }],
        },
        speed,
      ]),
      'body.sensors.0.bearings.2',
      'repeats sensors.0.bearings.0 (6205 at drive end)',
    ],
  ];

  // Refused by the document's schema (400); the others break a rule tying valid fields together (422).
  const schemaRefusals = new Set([
    'a geometry field the schema does not know',
    'a fixed speed of 0 rpm',
    'a fixed speed with a sensor id',
    'machine group 3',
    'an axis that is neither radial nor axial',
  ]);

  it.each(badInputs)(
    'refuses %s naming the field (400 by the schema, 422 by a rule), and keeps the asset',
    async (name, body, field, reason) => {
      await send('PUT', '/v1/assets/mm-pump', pump());
      const before = await send('GET', '/v1/assets/mm-pump');
      const refused = await send('PUT', '/v1/assets/mm-pump', body);
      expect([refused.status, refused.body.field]).toEqual([schemaRefusals.has(name) ? 400 : 422, field]);
      expect(refused.body.message).toContain(reason);
      const after = await send('GET', '/v1/assets/mm-pump');
      expect([after.etag, after.body.machine, after.body.sensors]).toEqual([
        before.etag,
        before.body.machine,
        before.body.sensors,
      ]);
    },
  );

  it('refuses a speed sensor of another asset with 404 naming the field, and keeps the asset', async () => {
    await send('PUT', '/v1/assets/mm-pump', pump());
    const before = await send('GET', '/v1/assets/mm-pump');
    const refused = await send(
      'PUT',
      '/v1/assets/mm-pump',
      pump({ speed: { source: 'sensor', sensorId: 'mm-other.speed' } }),
    );
    expect([refused.status, refused.body.field, refused.body.message]).toEqual([
      404,
      'body.machine.speed.sensorId',
      'body.machine.speed.sensorId: mm-other.speed is not an active sensor of asset mm-pump',
    ]);
    expect((await send('GET', '/v1/assets/mm-pump')).etag).toBe(before.etag);
  });

  it('refuses a severity class by PATCH while a stored vibration sensor does not measure acceleration', async () => {
    await send('PUT', '/v1/assets/mm-fan', {
      ...pump({ speed: { source: 'fixed', rpm: 1480 } }, [
        { ...vib, id: 'mm-fan.vib', unit: 'mm/s', bearings: null },
      ]),
    });
    const refused = await send('PATCH', '/v1/assets/mm-fan', { machine: fixed });
    expect([refused.status, refused.body.field]).toEqual([422, 'body.machine.severity']);
    expect(refused.body.message).toContain('vibration sensor mm-fan.vib of this asset is in "mm/s"');
    const speedOnly = await send('PATCH', '/v1/assets/mm-fan', { machine: { speed: fixed.speed } });
    expect([speedOnly.status, speedOnly.body.machine]).toEqual([200, { speed: fixed.speed }]);
  });

  it('accepts a catalogue geometry within rounding, one designation at two locations, and speed sensors in r/min or Hz', async () => {
    // The 6205's published 0.3126 in and 1.537 in are 7.94004 mm and 39.0398 mm: a data sheet's 7.94 and 39.04.
    const rounded = { rollingElements: 9, ballDiameterMm: 7.94, pitchDiameterMm: 39.04, contactAngleDeg: 0 };
    const bearings = [
      { designation: '6205', location: 'drive end', geometry: rounded },
      { designation: '6205', location: 'non-drive end' },
    ];
    for (const unit of ['r/min', 'Hz']) {
      const body = pump({ speed: { source: 'sensor', sensorId: speed.id } }, [
        { ...vib, bearings },
        { ...speed, unit },
      ]);
      const put = await send('PUT', '/v1/assets/mm-pump', body);
      const byId = Object.fromEntries(put.body.sensors.map((s: { id: string }) => [s.id, s]));
      expect([put.status, byId[vib.id].bearings, byId[speed.id].unit]).toEqual([200, bearings, unit]);
    }
  });

  it('refuses by PATCH a speed sensor stored with a unit that is not a speed, naming the setting', async () => {
    await send('PUT', '/v1/assets/mm-pump', pump(null, [vib, { ...speed, unit: 'm/s' }]));
    const refused = await send('PATCH', '/v1/assets/mm-pump', {
      machine: { speed: { source: 'sensor', sensorId: speed.id } },
    });
    expect([refused.status, refused.body.field]).toEqual([422, 'body.machine.speed.sensorId']);
    expect(refused.body.message).toBe(
      'body.machine.speed.sensorId: speed sensor mm-pump.speed is in "m/s"; the running speed is read in ' +
        '"rpm", "RPM", "r/min", "1/min", "min⁻¹", "min-1", "Hz", "r/s", not "m/s"',
    );
    await send('PUT', '/v1/assets/mm-pump', pump());
  });

  it('refuses numbers sent as strings in a JSON body, as the document types them, naming the field', async () => {
    const before = await send('GET', '/v1/assets/mm-pump');
    const speedAsText = await send(
      'PUT',
      '/v1/assets/mm-pump',
      pump({ speed: { source: 'fixed', rpm: '1797' } }),
    );
    expect([speedAsText.status, speedAsText.body.field]).toEqual([400, 'body.machine.speed.rpm']);
    const rateAsText = await send(
      'PUT',
      '/v1/assets/mm-pump',
      pump(fixed, [{ ...vib, sampleRateHz: '12800' }]),
    );
    expect([rateAsText.status, rateAsText.body.field]).toEqual([400, 'body.sensors.0.sampleRateHz']);
    expect((await send('GET', '/v1/assets/mm-pump')).etag).toBe(before.etag);
  });

  it('lists the bearing catalogue with the 6205’s published defect frequencies in orders', async () => {
    const { status, body } = await send('GET', '/v1/bearings');
    expect(status).toBe(200);
    const b6205 = body.items.find((b: { designation: string }) => b.designation === '6205');
    // Case Western Reserve University Bearing Data Center, 6205-2RS JEM SKF: BPFI 5.4152, BPFO 3.5848,
    // FTF 0.39828, rolling element (2 × BSF) 4.7135 times the shaft speed.
    expect(b6205.orders.bpfo).toBeCloseTo(3.5848, 4);
    expect(b6205.orders.bpfi).toBeCloseTo(5.4152, 4);
    expect(b6205.orders.ftf).toBeCloseTo(0.39828, 4);
    expect(2 * b6205.orders.bsf).toBeCloseTo(4.7135, 3);
    expect(b6205.geometry).toEqual({
      rollingElements: 9,
      ballDiameterMm: expect.closeTo(0.3126 * 25.4, 9),
      pitchDiameterMm: expect.closeTo(1.537 * 25.4, 9),
      contactAngleDeg: 0,
    });
    expect(b6205.source).toContain('Case Western Reserve University');
    expect(body.items.map((b: { designation: string }) => b.designation)).toEqual(['6203', '6205', 'UER204']);
  });
});
