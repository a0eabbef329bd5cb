#!/usr/bin/env node
// Node.js runs the TypeScript sources directly (type stripping), which needs 22.22 or newer.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  console.error(`MANTIS needs Node.js 22.22 or newer (24 LTS recommended); this is ${process.version}.`);
  process.exit(1);
}
await import('../src/cli/main.ts');
