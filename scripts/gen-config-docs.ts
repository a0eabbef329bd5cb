/** Writes docs/configuration.md from the configuration schema. */
import { writeFileSync } from 'node:fs';
import { configurationMarkdown } from '../src/config/docs.ts';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), configurationMarkdown());
