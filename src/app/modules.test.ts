import { describe, expect, it } from 'vitest';
import { type ModuleDefinition, modules, startOrder } from './modules.ts';

describe('module map', () => {
  it('starts dependencies first and the HTTP server last', () => {
    expect(startOrder('all')).toEqual([
      'bus',
      'database',
      'repositories',
      'ingest',
      'auth',
      'mqtt',
      'rawStore',
      'onlineStore',
      'models',
      'process',
      'api',
      'etl',
      'server',
    ]);
    expect(startOrder('ingest')).toEqual([
      'bus',
      'database',
      'repositories',
      'ingest',
      'auth',
      'mqtt',
      'server',
    ]);
    expect(startOrder('process')).toEqual([
      'bus',
      'database',
      'repositories',
      'rawStore',
      'onlineStore',
      'models',
      'process',
      'auth',
      'server',
    ]);
    // Scoring and the api read the champion models of the asset types (models).
    // The api serves raw data (signal, export) from the raw store; ingest's sensor directory only when it runs.
    expect(startOrder('api')).toEqual([
      'database',
      'repositories',
      'rawStore',
      'onlineStore',
      'auth',
      'models',
      'api',
      'server',
    ]);
    expect(startOrder('etl')).toEqual(['database', 'repositories', 'rawStore', 'etl', 'auth', 'server']);
  });

  it('has every dependency declared as a module', () => {
    for (const [name, definition] of Object.entries(modules) as [string, ModuleDefinition<unknown>][]) {
      for (const dep of [...definition.deps, ...(definition.optional ?? [])]) {
        expect(modules, `${name} → ${dep}`).toHaveProperty(dep);
      }
    }
  });
});
