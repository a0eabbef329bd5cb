import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { trackingFor, trackingUrl } from './index.ts';

describe('trackingFor and trackingUrl', () => {
  it('defaults to the mlruns folder of the data folder', () => {
    expect(trackingUrl({ dataDir: './data', ml: { trackingUrl: undefined } } as never)).toBe(
      'file://./data/mlruns',
    );
    expect(trackingUrl({ dataDir: '/srv/mantis/', ml: {} } as never)).toBe('file:///srv/mantis/mlruns');
    expect(trackingUrl({ dataDir: '/srv/50%#1', ml: {} } as never)).toBe('file:///srv/50%25%231/mlruns');
    expect(trackingUrl({ dataDir: './data', ml: { trackingUrl: 'http://mlflow:5000' } } as never)).toBe(
      'http://mlflow:5000',
    );
  });

  it('chooses the adapter by scheme', () => {
    const local = trackingFor(trackingUrl({ dataDir: '/srv/50%#1', ml: {} } as never));
    expect([local.kind, local.location]).toEqual(['local', 'file:///srv/50%#1/mlruns']);
    expect(trackingFor('file://./data/mlruns').location).toBe(`file://${resolve('data/mlruns')}`);
    const remote = trackingFor('https://ml:secret@tracking.example:8443/mlflow/');
    expect([remote.kind, remote.location]).toEqual([
      'mlflow',
      'https://ml:<redacted>@tracking.example:8443/mlflow',
    ]);
    expect(trackingFor('http://mlflow:5000').location).toBe('http://mlflow:5000');
  });

  it('refuses other schemes and malformed URLs on ml.trackingUrl', () => {
    for (const url of [
      's3://bucket/mlruns',
      'mlflow:5000',
      'http://',
      'http://mlflow:5000/?x=1',
      'file://',
    ]) {
      let field: string | null = null;
      try {
        trackingFor(url);
      } catch (err) {
        field = err instanceof ValidationError ? err.field : null;
      }
      expect(field, url).toBe('ml.trackingUrl');
    }
  });
});
