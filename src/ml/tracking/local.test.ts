import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalTracking } from './local.ts';
import { CorruptFileError } from './local-files.ts';
import type { UnreadableVersion } from './port.ts';

const rejection = async (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: unknown) => err as Error,
  );

describe('the local tracking folder with a damaged version file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mantis-mlruns-damaged-'));
  const tracking = new LocalTracking(`file://${dir}`);
  const name = 'mantis-health-pump';
  const metaOf = (version: number) => join(dir, 'models', name, 'versions', String(version), 'meta.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the readable versions and reports the damaged one with its file and reason', async () => {
    const { runId } = await tracking.startRun('mantis-health', 'r');
    for (let i = 0; i < 3; i++) await tracking.registerModelVersion(name, runId, 'model');
    await tracking.setAlias(name, 'champion', '3');
    writeFileSync(metaOf(2), "{'version': '2'}");
    const problems: UnreadableVersion[] = [];
    const listed = await tracking.listVersions(name, (p) => problems.push(p));
    expect(listed.map((v) => [v.version, v.aliases])).toEqual([
      ['3', ['champion']],
      ['1', []],
    ]);
    expect(problems).toEqual([
      {
        name,
        version: '2',
        file: metaOf(2),
        reason: expect.stringMatching(/^not valid JSON \(Expected property name/),
      },
    ]);
  });

  it('reports a version file that parses but lacks what a version needs', async () => {
    const problems: UnreadableVersion[] = [];
    writeFileSync(metaOf(1), JSON.stringify({ name, version: '1', source: 'runs:/x/model' }));
    writeFileSync(metaOf(3), '[]');
    expect(await tracking.listVersions(name, (p) => problems.push(p))).toEqual([]);
    expect(problems.map((p) => [p.version, p.file, p.reason])).toEqual([
      ['3', metaOf(3), 'expected a JSON object'],
      ['2', metaOf(2), expect.stringMatching(/^not valid JSON/)],
      ['1', metaOf(1), 'run_id: expected a string'],
    ]);
  });

  it('warns on the process by default, naming the file', async () => {
    const warnings: Error[] = [];
    const listener = (w: Error) => warnings.push(w);
    process.on('warning', listener);
    try {
      await tracking.listVersions(name);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(warnings.map((w) => w.message)).toContain(
      `${metaOf(1)}: run_id: expected a string; version 1 of ${name} left out`,
    );
  });

  it('names the file and the reason when promoting to, or reading through an alias, a damaged version', async () => {
    const promote = await rejection(tracking.setAlias(name, 'challenger', '2'));
    expect(promote).toBeInstanceOf(CorruptFileError);
    expect(promote?.message).toMatch(new RegExp(`^${metaOf(2)}: not valid JSON \\(`));
    const read = await rejection(tracking.versionByAlias(name, 'champion'));
    expect(read?.message).toBe(`${metaOf(3)}: expected a JSON object`);
  });
});
