// Writes docs/bus/<topic>.schema.json, the JSON Schemas of the bus messages' values, from src/bus/contract.ts.
// test/bus-contract.test.ts fails when a checked-in file differs from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { busContract } from '../src/bus/contract.ts';

export const BUS_SCHEMAS_DIR = resolve(import.meta.dirname, '../docs/bus');

/** File name and text of each topic's value schema, as written to docs/bus/. */
export function busSchemaFiles(): { file: string; text: string }[] {
  return busContract.map((t) => ({
    file: `${t.topic}.schema.json`,
    text: `${JSON.stringify(t.value, null, 2)}\n`,
  }));
}

if (import.meta.main) {
  mkdirSync(BUS_SCHEMAS_DIR, { recursive: true });
  for (const { file, text } of busSchemaFiles()) {
    writeFileSync(join(BUS_SCHEMAS_DIR, file), text);
    console.log(`wrote docs/bus/${file}`);
  }
}
