import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../test/helpers/app.ts';
import type { MantisApp } from '../app/app.ts';
import { encodeJson } from '../bus/codec.ts';
import { topics } from '../bus/port.ts';
import type { Alert } from '../domain/types.ts';
import { printStatus } from './status.ts';

describe('the status lines of mantis start', () => {
  let app: MantisApp;
  beforeAll(async () => {
    app = await startApp({}, 'all');
  });
  afterAll(() => app?.stop());

  const until = async (lines: string[], pattern: RegExp) => {
    const deadline = Date.now() + 5_000;
    while (!lines.some((l) => pattern.test(l))) {
      if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in ${JSON.stringify(lines)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return lines.find((l) => pattern.test(l)) as string;
  };

  it('say which learned model scores each asset type when that changes, and which model raised an alert', async () => {
    const lines: string[] = [];
    const stop = printStatus(app, 50, (line) => lines.push(line));
    try {
      app.metrics.modelInfo.set({ asset_type: 'pump', model: 'mantis-health-pump', version: '3' }, 1);
      expect(await until(lines, / MODELS /)).toMatch(
        /\] MODELS scoring pump by mantis-health-pump version 3$/,
      );
      const alert: Alert = {
        id: 'alr_status',
        assetId: 'pump-9',
        sensorId: 'pump-9.vib',
        cause: 'vibration-anomaly',
        severity: 'warning',
        status: 'active',
        health: 30,
        score: 7,
        message: 'pump-9.vib: RMS at 3.0× its baseline; health 30/100',
        raisedAt: Date.now(),
        resolvedAt: null,
        model: { name: 'mantis-health-pump', version: '3' },
      };
      await app.services.bus?.send(topics.alerts, [{ key: alert.assetId, value: encodeJson(alert) }]);
      expect(await until(lines, / ALERT /)).toMatch(
        /ALERT warning on pump-9 — pump-9\.vib: RMS at 3\.0× its baseline; health 30\/100 \(scored by mantis-health-pump version 3\); work order opened$/,
      );
      app.metrics.modelInfo.remove('pump', 'mantis-health-pump', '3');
      expect(await until(lines, /MODELS none/)).toMatch(
        /MODELS none: every asset type by the baseline scorer$/,
      );
      // Said once per change, not at every tick.
      await new Promise((r) => setTimeout(r, 200));
      expect(lines.filter((l) => / MODELS /.test(l))).toHaveLength(2);
    } finally {
      await stop();
    }
  });
});
