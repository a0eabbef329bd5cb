// Writes web/api-schema.d.ts, the TypeScript types of the API's OpenAPI document that the console's client
// (web/api.js) is checked against. The document is the one the product serves: MANTIS is started on its
// embedded defaults in a temporary data folder and /openapi.json is read from it.
// test/api-client-types.test.ts fails when the checked-in file is stale.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { MantisApp } from '../src/app/app.ts';
import { loadConfig } from '../src/config/load.ts';

export const API_TYPES_FILE = resolve(import.meta.dirname, '../web/api-schema.d.ts');

const HEADER = `// Generated from the API's OpenAPI document (GET /openapi.json) by \`npm run api-types\`
// (scripts/gen-api-types.ts). Do not edit: test/api-client-types.test.ts fails when it differs from the document.
`;

/**
 * The OpenAPI document as served at /openapi.json by a MANTIS started on embedded defaults (target `all`,
 * free ports, a temporary data folder removed afterwards). Throws when the app fails to start or the
 * document is not served with 200.
 */
export async function servedDocument(): Promise<OpenAPI3> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mantis-api-types-'));
  try {
    const config = loadConfig({
      env: {},
      overrides: { dataDir, 'http.port': 0, 'mqtt.port': 0, 'log.level': 'silent' },
    });
    const app = await MantisApp.start(config, { target: 'all' });
    try {
      const response = await fetch(`${app.url}/openapi.json`);
      if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
      return (await response.json()) as OpenAPI3;
    } finally {
      await app.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The text of web/api-schema.d.ts for `document`: openapi-typescript's `paths`, `components` and `operations`. */
export async function apiTypesText(document: OpenAPI3): Promise<string> {
  const ast = await openapiTS(document, { silent: true });
  return `${HEADER}\n${astToString(ast)}`;
}

/** Starts MANTIS, reads its document and writes its types to `file` (default web/api-schema.d.ts). */
export async function writeApiTypes(file: string = API_TYPES_FILE): Promise<void> {
  writeFileSync(file, await apiTypesText(await servedDocument()));
}

if (import.meta.main) {
  const file = process.argv[2] ? resolve(process.argv[2]) : API_TYPES_FILE;
  await writeApiTypes(file);
  console.log(`wrote ${file}`);
}
