import { createHash } from 'node:crypto';

/**
 * A stable id from its parts (`<prefix>_` and 24 hex digits of their SHA-256), so that a replayed window raises
 * the same alert and work order instead of a second one.
 */
export function stableId(prefix: string, ...parts: (string | number)[]): string {
  return `${prefix}_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24)}`;
}
