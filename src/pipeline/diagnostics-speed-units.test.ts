import { describe, expect, it } from 'vitest';
import { bearingCatalogue } from '../diagnostics/bearings.ts';
import type { Sensor } from '../domain/types.ts';
import { synthesizeVibration } from '../simulator/vibration-faults.ts';
import { MachineDirectory } from './diagnostics.ts';

const RATE = 12_800;
const SHAFT_HZ = 1797 / 60;

const sensor = (id: string, kind: Sensor['kind'], unit: string, assetId: string): Sensor => ({
  id,
  assetId,
  kind,
  unit,
  sampleRateHz: kind === 'vibration' ? RATE : 1,
  validMin: -1e6,
  validMax: 1e6,
  ...(kind === 'vibration' && { bearings: [{ designation: '6205', location: 'drive end' }] }),
});

const blocks = [
  {
    ts: 0,
    rateHz: RATE,
    values: synthesizeVibration({
      rateHz: RATE,
      samples: 4096,
      startSeconds: 0,
      shaftHz: SHAFT_HZ,
      bearing: bearingCatalogue['6205'],
      fault: 'healthy',
      severity: 0,
      seed: 5,
    }),
  },
];

describe('MachineDirectory speed sensors', () => {
  it('reads a speed sensor in Hz, r/min or 1/min as the shaft speed in rpm', () => {
    const directory = new MachineDirectory();
    const units = { 'p-hz': 'Hz', 'p-rmin': 'r/min', 'p-1min': '1/min', 'p-bar': 'bar' };
    const sensors = Object.entries(units).flatMap(([asset, unit]) => [
      sensor(`${asset}.vib`, 'vibration', 'm/s²', asset),
      sensor(`${asset}.speed`, 'speed', unit, asset),
    ]);
    const machines = new Map(
      Object.keys(units).map((asset) => [
        asset,
        { speed: { source: 'sensor' as const, sensorId: `${asset}.speed` } },
      ]),
    );
    directory.update(sensors, machines);
    directory.observeSpeed('p-hz.speed', SHAFT_HZ, 1000);
    directory.observeSpeed('p-rmin.speed', 1797, 1000);
    directory.observeSpeed('p-1min.speed', 1797, 1000);
    // A unit that is not a speed (a registration from before units were checked) is never read as rpm.
    directory.observeSpeed('p-bar.speed', 1797, 1000);
    for (const asset of ['p-hz', 'p-rmin', 'p-1min']) {
      expect(directory.diagnose(`${asset}.vib`, blocks)?.diagnostics.speed).toEqual({
        source: 'sensor',
        hz: expect.closeTo(SHAFT_HZ, 9),
        rpm: expect.closeTo(1797, 9),
      });
    }
    const unread = directory.diagnose('p-bar.vib', blocks)?.diagnostics.speed;
    expect([unread?.hz, unread?.rpm]).toEqual([null, null]);
  });
});
