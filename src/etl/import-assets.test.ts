import { describe, expect, it } from 'vitest';
import type { Asset } from '../domain/types.ts';
import { describeProblem, ImportFileError, parseAssetFile, parseAssetJson } from './import-assets.ts';
import { parseAssetCsv } from './import-csv.ts';
import { sameAsset } from './import-write.ts';

const HEADER =
  'site,siteName,line,lineName,asset,assetName,kind,sensor,sensorKind,unit,sampleRateHz,validMin,validMax';
const csv = (...lines: string[]) => new TextEncoder().encode(lines.join('\n'));
const row = (asset: string, sensor: string, overrides: Record<number, string> = {}) => {
  const cells = ['p1', 'Plant 1', 'l1', 'Line 1', asset, `Asset ${asset}`, 'pump', sensor];
  cells.push('temperature', 'degC', '1', '-50', '200');
  for (const [i, v] of Object.entries(overrides)) cells[Number(i)] = v;
  return cells.join(',');
};
/** Problems as `line:column` pairs, for compact assertions. */
const where = (r: ReturnType<typeof parseAssetCsv>) => r.problems.map((p) => `${p.line}:${p.column}`);

describe('asset import CSV', () => {
  it('reads one asset per asset id, one sensor per row', () => {
    const r = parseAssetCsv(
      csv(HEADER, row('pump-1', 'pump-1.t'), row('pump-1', 'pump-1.p', { 8: 'pressure' })),
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(2);
    expect(r.items).toHaveLength(1);
    const [item] = r.items;
    expect(item.siteName).toBe('Plant 1');
    expect(item.lineName).toBe('Line 1');
    expect(item.asset).toEqual({
      id: 'pump-1',
      siteId: 'p1',
      lineId: 'l1',
      name: 'Asset pump-1',
      kind: 'pump',
      sensors: [
        {
          id: 'pump-1.t',
          assetId: 'pump-1',
          kind: 'temperature',
          unit: 'degC',
          sampleRateHz: 1,
          validMin: -50,
          validMax: 200,
        },
        {
          id: 'pump-1.p',
          assetId: 'pump-1',
          kind: 'pressure',
          unit: 'degC',
          sampleRateHz: 1,
          validMin: -50,
          validMax: 200,
        },
      ],
    });
  });

  it('groups the rows of an asset wherever they are in the file', () => {
    const r = parseAssetCsv(
      csv(HEADER, row('a', 'a.1'), row('b', 'b.1'), row('a', 'a.2'), row('b', 'b.2'), row('a', 'a.3')),
    );
    expect(r.problems).toEqual([]);
    expect(r.items.map((i) => [i.asset.id, i.asset.sensors.map((s) => s.id), i.rows])).toEqual([
      ['a', ['a.1', 'a.2', 'a.3'], 3],
      ['b', ['b.1', 'b.2'], 2],
    ]);
    // A problem of a's third sensor is reported on line 6, where that row is.
    expect(r.items[0].locate('sensors.2.unit')).toEqual({ line: 6, item: null, column: 'unit' });
    expect(r.items[0].locate('lineId')).toEqual({ line: 2, item: null, column: 'line' });
  });

  it('reads quoted fields, a byte-order mark, CRLF and blank lines, and counts lines as the file has them', () => {
    const text =
      `\uFEFF${HEADER}\r\n` +
      `p1,Plant 1,l1,Line 1,a,"Pump, ""north""",pump,a.1,temperature,degC,1,-50,200\r\n` +
      '\r\n' +
      `p1,Plant 1,l1,Line 1,b,"two\r\nlines",pump,b.1,temperature,degC,1,-50,200\r\n` +
      ',,,,,,,,,,,,\r\n' +
      `p1,Plant 1,l1,Line 1,c,C,pump,c.1,temperature,degC,x,-50,200\r\n`;
    const r = parseAssetCsv(new TextEncoder().encode(text));
    expect(r.items.map((i) => i.asset.name)).toEqual(['Pump, "north"', 'two\r\nlines']);
    expect(r.items[0].asset.siteId).toBe('p1'); // the BOM is not part of the first column's name
    // Line 7: header 1, a 2, blank 3, b 4–5 (a quoted CRLF), a row of empty cells 6, c 7.
    expect(r.problems).toEqual([
      { line: 7, item: null, column: 'sampleRateHz', reason: 'must be a number, got "x"', assetId: 'c' },
    ]);
    expect(r.rows).toBe(3);
    expect(r.refused).toEqual([{ assetId: 'c', rows: 1 }]);
  });

  it('reports every bad cell of every row with its line, column and reason', () => {
    const r = parseAssetCsv(
      csv(
        HEADER,
        row('ok', 'ok.1'),
        row('bad id', 'x.1'), // 3
        row('k', 'k.1', { 8: 'humidity' }), // 4
        row('u', 'u.1', { 9: '' }), // 5
        row('r', 'r.1', { 10: '0' }), // 6
        row('m', 'm.1', { 11: '1e', 12: 'NaN' }), // 7
        row('v', 'v.1', { 11: '10', 12: '10' }), // 8
        row('n', 'n.1', { 5: 'x'.repeat(201) }), // 9
        row('s', 'bad/sensor'), // 10
        row('', 'nobody.1'), // 11
        row('z', 'z.1', { 0: 'p 1' }), // 12
      ),
    );
    expect(r.items.map((i) => i.asset.id)).toEqual(['ok']);
    const id = 'must be 1 to 128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';
    expect(r.problems.map((p) => [p.line, p.column, p.reason])).toEqual([
      [3, 'asset', id],
      [4, 'sensorKind', 'must be one of vibration, temperature, current, pressure, speed, other'],
      [5, 'unit', 'is required'],
      [6, 'sampleRateHz', 'must be above 0 and at most 10000000 Hz, got 0'],
      [7, 'validMin', 'must be a number, got "1e"'],
      [7, 'validMax', 'must be a number, got "NaN"'],
      [8, 'validMax', 'must be greater than validMin'],
      [9, 'assetName', 'must be at most 200 characters'],
      [10, 'sensor', id],
      [11, 'asset', 'is required'],
      [12, 'site', 'line l1 is on site "p1" on line 2'],
      [12, 'site', id],
    ]);
    expect(r.refused.map((x) => x.assetId).sort()).toEqual(
      [null, 'bad id', 'k', 'm', 'n', 'r', 's', 'u', 'v', 'z'].sort(),
    );
    expect(describeProblem(r.problems[1])).toBe(
      'line 4, column sensorKind (asset k): must be one of vibration, temperature, current, pressure, speed, other',
    );
  });

  it('refuses a sensor id given twice, in one asset or in two, and the asset of the repeat', () => {
    const r = parseAssetCsv(
      csv(HEADER, row('a', 's.1'), row('a', 's.1'), row('b', 's.2'), row('c', 's.2'), row('d', 'd.1')),
    );
    expect(r.problems.map((p) => [p.line, p.column, p.reason, p.assetId])).toEqual([
      [3, 'sensor', 'sensor s.1 is already on line 2', 'a'],
      [5, 'sensor', 'sensor s.2 is already on line 4', 'c'],
    ]);
    expect(r.items.map((i) => i.asset.id)).toEqual(['b', 'd']);
  });

  it('refuses rows of an asset that disagree on its columns, and places named two ways', () => {
    const r = parseAssetCsv(
      csv(
        HEADER,
        row('a', 'a.1'),
        row('a', 'a.2', { 6: 'fan' }),
        row('b', 'b.1', { 1: 'Plant One' }),
        row('c', 'c.1', { 0: 'p2' }),
      ),
    );
    expect(r.problems.map((p) => [p.line, p.column, p.reason])).toEqual([
      [3, 'kind', '"fan" differs from line 2 ("pump"): every row of an asset repeats its asset\'s columns'],
      [4, 'siteName', 'site p1 is named "Plant 1" on line 2'],
      [5, 'site', 'line l1 is on site "p1" on line 2'],
    ]);
    expect(r.items).toEqual([]);
  });

  it('refuses a row with another number of fields than the header', () => {
    const r = parseAssetCsv(
      csv(HEADER, row('a', 'a.1'), 'p1,Plant 1,l1,Line 1,b,B,pump,b.1', `${row('c', 'c.1')},extra`),
    );
    expect(r.problems.map((p) => [p.line, p.column, p.reason])).toEqual([
      [3, 'sensorKind', 'the row has 8 fields, the header 13'],
      [4, 'field 14', 'the row has 14 fields, the header 13'],
    ]);
    expect(r.items.map((i) => i.asset.id)).toEqual(['a']);
  });

  it('refuses a header with an unknown, repeated or missing column, and imports nothing', () => {
    const r = parseAssetCsv(csv(`${HEADER.replace('validMax', 'validmax')},unit`, row('a', 'a.1')));
    expect(where(r)).toEqual(['1:validmax', '1:unit', '1:validMax']);
    expect(r.problems.map((p) => p.reason)).toEqual([
      'is not a column of an asset import',
      'is given twice',
      'is a required column',
    ]);
    expect(r.items).toEqual([]);
    expect(r.refused).toEqual([{ assetId: null, rows: 1 }]);
  });

  it('reports a file csv-parse cannot read, and an empty file', () => {
    const unclosed = parseAssetCsv(csv(HEADER, row('a', 'a.1'), 'p1,"Plant 1,l1'));
    expect(unclosed.items).toEqual([]);
    expect(unclosed.problems).toHaveLength(1);
    expect(unclosed.problems[0].reason).toMatch(/quote/i);
    expect(parseAssetCsv(new Uint8Array()).problems.map((p) => p.reason)).toEqual([
      'the file is empty: expected a header line',
    ]);
  });

  it('reads machine models and bearings, refusing what the domain refuses at the column that holds it', () => {
    const header = `${HEADER},rpm,speedSensor,isoGroup,foundation,bearing,bearingLocation,rollingElements,ballDiameterMm,pitchDiameterMm,contactAngleDeg`;
    const vib = (asset: string, extra: string) =>
      `p1,P,l1,L,${asset},${asset},pump,${asset}.vib,vibration,m/s²,12800,-500,500,${extra}`;
    const r = parseAssetCsv(
      csv(
        header,
        vib('ok', '1797,,2,rigid,6205,drive end,,,,'),
        vib('geo', '1797,,,,X1,,9,7.9,39,0'),
        vib('both', '1797,ok.speed,,,,,,,,'),
        vib('norpm', '0,,,,,,,,,'),
        vib('cat', ',,,,NOPE,,,,,'),
        vib('big', ',,,,X2,,9,39,7.9,0'),
        vib('speed', ',speed.rpm,,,,,,,,'),
        vib('iso', '1500,,3,rigid,,,,,,'),
      ),
    );
    expect(r.items.map((i) => i.asset.id)).toEqual(['ok', 'geo']);
    expect(r.items[0].asset.machine).toEqual({
      speed: { source: 'fixed', rpm: 1797 },
      severity: { group: 2, foundation: 'rigid' },
    });
    expect(r.items[0].asset.sensors[0].bearings).toEqual([{ designation: '6205', location: 'drive end' }]);
    expect(r.items[1].asset.sensors[0].bearings).toEqual([
      {
        designation: 'X1',
        geometry: { rollingElements: 9, ballDiameterMm: 7.9, pitchDiameterMm: 39, contactAngleDeg: 0 },
      },
    ]);
    expect(r.problems.map((p) => [p.line, p.column, p.assetId])).toEqual([
      [4, 'speedSensor', 'both'],
      [5, 'rpm', 'norpm'],
      [6, 'bearing', 'cat'],
      [7, 'pitchDiameterMm', 'big'],
      [8, 'speedSensor', 'speed'],
      [9, 'isoGroup', 'iso'],
    ]);
    expect(r.problems[0].reason).toBe('give rpm or speedSensor, not both');
    expect(r.problems[4].reason).toBe('speed.rpm is not an active sensor of asset speed');
  });
});

describe('asset import JSON', () => {
  const body = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    siteId: 'p1',
    lineId: 'l1',
    name: id,
    kind: 'pump',
    sensors: [
      { id: `${id}.t`, kind: 'temperature', unit: 'degC', sampleRateHz: 1, validMin: 0, validMax: 9 },
    ],
    ...extra,
  });

  it('reads an array of PUT bodies with their ids, numbers given as strings read as numbers', () => {
    const doc = [body('a', { idealCycleSeconds: '2.5', siteName: 'Plant 1' })];
    const r = parseAssetJson(`\uFEFF${JSON.stringify(doc)}`);
    expect(r.problems).toEqual([]);
    expect(r.items[0].asset.idealCycleSeconds).toBe(2.5);
    expect(r.items[0].siteName).toBe('Plant 1');
    expect(r.items[0].asset.sensors[0].assetId).toBe('a');
  });

  it('reports every bad field of every item with its index and path, and an id given twice', () => {
    const doc = [
      body('a'),
      body('b', {
        colour: 'red',
        sensors: [{ id: 'b.1', kind: 'x', unit: '', sampleRateHz: 1, validMin: 5 }],
      }),
      body('a'),
      'pump',
    ];
    const r = parseAssetJson(JSON.stringify(doc));
    expect(r.items.map((i) => i.asset.id)).toEqual(['a']);
    expect(r.problems.map((p) => [p.item, p.column, p.reason])).toEqual([
      [1, 'colour', 'is not a field here'],
      [1, 'sensors.0.kind', 'must be one of vibration, temperature, current, pressure, speed, other'],
      [1, 'sensors.0.unit', 'must not be empty'],
      [1, 'sensors.0.validMax', 'is required'],
      [2, 'id', 'repeats item 0 (a)'],
      [3, '', 'must be an object (an asset)'],
    ]);
    expect(describeProblem(r.problems[2])).toBe('item 1, field sensors.0.unit (asset b): must not be empty');
  });

  it('reports a file that is not a JSON array', () => {
    expect(parseAssetJson('{"id": "a"}').problems.map((p) => p.reason)).toEqual([
      'must be a JSON array of assets',
    ]);
    expect(parseAssetJson('[{').problems[0].reason).toMatch(/^not JSON: /);
  });

  it('chooses the reader by extension and refuses another', () => {
    expect(parseAssetFile('a.JSON', new TextEncoder().encode('[]')).format).toBe('json');
    expect(() => parseAssetFile('a.xlsx', new Uint8Array())).toThrow(ImportFileError);
  });
});

describe('sameAsset', () => {
  const stored: Asset = {
    id: 'a',
    siteId: 'p1',
    lineId: 'l1',
    name: 'A',
    kind: 'pump',
    idealCycleSeconds: null,
    machine: { speed: { source: 'fixed', rpm: 1797 }, severity: { group: 2, foundation: 'rigid' } },
    retiredAt: null,
    sensors: [
      {
        id: 'a.v',
        assetId: 'a',
        kind: 'vibration',
        unit: 'g',
        sampleRateHz: 100,
        rateVaries: false,
        validMin: -5,
        validMax: 5,
        retiredAt: null,
        bearings: [{ location: 'drive end', designation: '6205' }],
        axis: null,
      },
      { id: 'a.old', assetId: 'a', kind: 'other', unit: 'x', sampleRateHz: 1, validMin: 0, validMax: 1 },
    ],
  };
  const imported: Asset = {
    id: 'a',
    siteId: 'p1',
    lineId: 'l1',
    name: 'A',
    kind: 'pump',
    // Key order differs, as jsonb returns it.
    machine: { severity: { foundation: 'rigid', group: 2 }, speed: { rpm: 1797, source: 'fixed' } },
    sensors: [
      {
        id: 'a.v',
        assetId: 'a',
        kind: 'vibration',
        unit: 'g',
        sampleRateHz: 100,
        validMin: -5,
        validMax: 5,
        bearings: [{ designation: '6205', location: 'drive end' }],
      },
    ],
  };

  it('is true when every listed field and sensor is as stored, whatever other sensors the asset has', () => {
    expect(sameAsset(stored, imported)).toBe(true);
  });

  it('is false when a field, a sensor, or a retirement differs', () => {
    expect(sameAsset(stored, { ...imported, name: 'B' })).toBe(false);
    const sensor = { ...imported.sensors[0], validMax: 6 };
    expect(sameAsset(stored, { ...imported, sensors: [sensor] })).toBe(false);
    const added = { ...imported.sensors[0], id: 'a.new' };
    expect(sameAsset(stored, { ...imported, sensors: [...imported.sensors, added] })).toBe(false);
    const retired = { ...stored, sensors: [{ ...stored.sensors[0], retiredAt: '2026-01-01T00:00:00.000Z' }] };
    expect(sameAsset(retired, imported)).toBe(false);
  });
});
