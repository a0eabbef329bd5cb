import { openPglite } from './pglite.ts';
import type { Database } from './port.ts';

/** Picks the database adapter from the URL scheme. */
export async function openDatabase(url: string): Promise<Database> {
  if (url.startsWith('pglite://')) return openPglite(url);
  throw new Error(`no database adapter for ${url}`);
}
