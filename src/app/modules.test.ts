import { describe, expect, it } from 'vitest';
import { modules, startOrder } from './modules.ts';

describe('module map', () => {
  it('starts dependencies first and the HTTP server last', () => {
    expect(startOrder('all')).toEqual([
      'bus',
      'database',
      'ingest',
      'mqtt',
      'rawStore',
      'onlineStore',
      'process',
      'api',
      'etl',
      'server',
    ]);
    expect(startOrder('ingest')).toEqual(['bus', 'database', 'ingest', 'mqtt', 'server']);
    expect(startOrder('process')).toEqual([
      'bus',
      'database',
      'rawStore',
      'onlineStore',
      'process',
      'server',
    ]);
    // The api serves raw data (signal, export) from the raw store.
    expect(startOrder('api')).toEqual(['database', 'rawStore', 'onlineStore', 'api', 'server']);
    expect(startOrder('etl')).toEqual(['database', 'etl', 'server']);
  });

  it('has every dependency declared as a module', () => {
    for (const [name, definition] of Object.entries(modules)) {
      for (const dep of definition.deps) expect(modules, `${name} → ${dep}`).toHaveProperty(dep);
    }
  });
});
