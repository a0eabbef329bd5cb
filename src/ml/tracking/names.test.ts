import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import {
  checkAlias,
  checkArtifactPath,
  checkEntityName,
  checkKey,
  checkMetrics,
  checkParams,
} from './names.ts';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
  return null;
};

describe('tracking names', () => {
  it('accepts model and experiment names MLflow and a folder both take', () => {
    for (const name of ['mantis-health-pump', 'mantis_health.v2', '0-fan'])
      expect(checkEntityName('name', name)).toBe(name);
    for (const name of ['', '.', '..', '.hidden', '-x', 'a/b', 'a\\b', 'a:b', 'a b', 'x'.repeat(251)]) {
      expect(fieldOf(() => checkEntityName('name', name))).toBe('name');
    }
  });

  it('takes MLflow’s key characters and refuses keys that climb out', () => {
    for (const key of ['auc', 'loss/val', 'f1 score', 'a:b', 'a.b-c_d']) expect(checkKey('k', key)).toBe(key);
    for (const key of ['../x', 'a/../b', '/abs', 'a//b', 'a/', '.', 'a*b', ''])
      expect(fieldOf(() => checkKey('k', key))).toBe('k');
  });

  it('takes relative artifact paths only', () => {
    expect(checkArtifactPath('path', 'model/model.json')).toBe('model/model.json');
    for (const path of ['../x', 'a/../../x', '/etc/passwd', 'a\\..\\b', 'a\nb', 'a/./b', '']) {
      expect(fieldOf(() => checkArtifactPath('path', path))).toBe('path');
    }
  });

  it('refuses the aliases MLflow reserves for versions', () => {
    expect(checkAlias('champion')).toBe('champion');
    for (const alias of ['latest', 'LATEST', 'v1', 'V12', 'a.b', ''])
      expect(fieldOf(() => checkAlias(alias))).toBe('alias');
  });

  it('names the metric or parameter it refuses', () => {
    expect(checkMetrics({ auc: 0.9, n: -3 })).toEqual([
      ['auc', 0.9],
      ['n', -3],
    ]);
    expect(fieldOf(() => checkMetrics({ auc: 0.9, loss: Number.NEGATIVE_INFINITY }))).toBe('metrics.loss');
    expect(fieldOf(() => checkMetrics({ loss: '1' as unknown as number }))).toBe('metrics.loss');
    expect(checkParams({ trees: 100, scaled: false, kind: 'iforest' })).toEqual([
      ['trees', '100'],
      ['scaled', 'false'],
      ['kind', 'iforest'],
    ]);
    expect(fieldOf(() => checkParams({ notes: 'x'.repeat(6001) }))).toBe('params.notes');
    expect(fieldOf(() => checkParams({ nested: {} as unknown as string }))).toBe('params.nested');
  });
});
