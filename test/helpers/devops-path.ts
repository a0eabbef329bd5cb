import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './doc-mentions.ts';

/** The DevOps path in English and in French, from the repository root. */
export const english = 'docs/devops-path.md';
export const french = 'docs/fr/parcours-devops.md';
export const documents = [english, french] as const;

/** The plan, beside the repository in a working copy; the test reads it when it is there. */
export const planFile = join(root, '../shared/seed/mantis-devops-learning-path.fr.md');
export const plan = existsSync(planFile) ? readFileSync(planFile, 'utf8') : null;

/** Numbered exercises and exercise groups of a plan's text. */
export function planExercises(text: string): { exercises: string[]; groups: string[] } {
  const checklist = text.split(/^## .*Checklist.*$/m)[1]?.split(/^## /m)[0] ?? '';
  return {
    exercises: [...text.matchAll(/^#{2,6} +((?:TP)?\d+\.\d+)\b/gm)].map((m) => m[1]),
    groups: [
      ...[...text.matchAll(/^\d+\. \*\*([^*]+)\*\*: *$/gm)].map((m) => m[1]),
      ...[...checklist.matchAll(/^### +(.+?)\s*$/gm)].map((m) => m[1]),
    ],
  };
}
