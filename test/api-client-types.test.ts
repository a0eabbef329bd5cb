// The console's API client (web/api.js) is typed by web/api-schema.d.ts, generated from the document the API
// serves. These tests keep that file in step with the document, and show that `tsc -p web` passes on the
// console and fails on calls the document does not allow.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { API_TYPES_FILE, writeApiTypes } from '../scripts/gen-api-types.ts';

const root = resolve(import.meta.dirname, '..');
const web = join(root, 'web');
const scratch = mkdtempSync(join(tmpdir(), 'mantis-api-types-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * The semantic diagnostics of `source` type-checked as if it were a file beside web/api.js, under
 * web/tsconfig.json. The file is only in memory: nothing is written into web/.
 */
function diagnosticsOf(source: string): readonly ts.Diagnostic[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(web, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('web/tsconfig.json could not be read');
  const file = join(web, 'calls.check.js');
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => resolve(name) === file || fileExists.call(host, name);
  host.readFile = (name) => (resolve(name) === file ? source : readFile.call(host, name));
  host.getSourceFile = (name, version, ...rest) =>
    resolve(name) === file
      ? ts.createSourceFile(name, source, version)
      : getSourceFile.call(host, name, version, ...rest);
  const program = ts.createProgram({ rootNames: [file], options: parsed.options, host });
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) throw new Error('the checked file was not loaded');
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
}

describe("the console's typed API client", () => {
  it('web/api-schema.d.ts is generated from the document the API serves now', async () => {
    const fresh = join(scratch, 'api-schema.d.ts');
    await writeApiTypes(fresh);
    const generated = readFileSync(fresh, 'utf8');
    expect(generated).toMatch(/^\/\/ Generated from the API's OpenAPI document/);
    expect(generated).toContain('"/v1/work-orders/{id}/transitions"');
    expect(
      generated === readFileSync(API_TYPES_FILE, 'utf8'),
      'web/api-schema.d.ts differs from the served OpenAPI document: run `npm run api-types`',
    ).toBe(true);
  });

  it('tsc -p web passes on the console', () => {
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', 'web'], { cwd: root, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('a call the document does not allow is a type error', () => {
    const header = [
      '// @ts-check',
      "import createClient from './vendor/openapi-fetch/index.mjs';",
      "import { createWorkOrder, getAsset, listAlerts, listWorkOrders, transitionWorkOrder } from './api.js';",
      "/** @type {import('./vendor/openapi-fetch/index.mjs').Client<import('./api-schema.js').paths>} */",
      "const client = createClient({ baseUrl: '' });",
      'export async function calls() {',
    ];
    // [call, whether the document forbids it]
    const calls: [string, boolean][] = [
      ["await client.GET('/v1/asset/{id}', { params: { path: { id: 'a' } } });", true],
      [
        "await client.GET('/v1/assets/{id}', { params: { path: { id: 'a' }, query: { colour: 'red' } } });",
        true,
      ],
      ["await client.GET('/v1/assets/{id}', { params: { path: { asset: 'a' } } });", true],
      [
        "await client.POST('/v1/work-orders', { body: { assetId: 'a', title: 't', priority: 'soon' } });",
        true,
      ],
      ["await client.DELETE('/v1/work-orders/{id}', { params: { path: { id: 'a' } } });", true],
      ["await createWorkOrder({ assetId: 'a', title: 't', priority: 'low', due: 1 });", true],
      ["await transitionWorkOrder('a', 1, { to: 'closed' });", true],
      ["await listWorkOrders({ status: 'closed' });", true],
      ["await listAlerts({ severity: 'critical' });", true],
      ["return (await getAsset('a')).healthScore;", true],
      ['(await listWorkOrders()).items[0].technician;', true],
      // The same calls as the document has them.
      [
        "await client.GET('/v1/assets/{id}', { params: { path: { id: 'a' }, query: { retired: true } } });",
        false,
      ],
      [
        "await client.POST('/v1/work-orders', { body: { assetId: 'a', title: 't', priority: 'high' } });",
        false,
      ],
      ["await transitionWorkOrder('a', 1, { to: 'assigned', assignee: 'kim' });", false],
      ["await listWorkOrders({ status: 'open', priority: '' });", false],
      ["(await getAsset('a')).sensors[0].lastReadingAt;", false],
      ['(await listWorkOrders()).items[0].assignee;', false],
    ];
    const source = `${[...header, ...calls.map(([call]) => `  ${call}`), '}'].join('\n')}\n`;
    const diagnostics = diagnosticsOf(source);
    const linesInError = new Set(
      diagnostics.map((d) =>
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1,
      ),
    );
    const judged = calls.map(([call], i) => [call, linesInError.has(header.length + i)]);
    expect(judged).toEqual(calls);
    // Nothing outside the calls is in error: each error is the check biting, not a broken harness.
    const callLines = new Set(calls.map((_, i) => header.length + i));
    expect([...linesInError].filter((line) => !callLines.has(line))).toEqual([]);
  });
});
