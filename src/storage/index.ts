import { openPglite } from './pglite.ts';
import type { Database } from './port.ts';
import { openPostgres } from './postgres.ts';

/** Picks the database adapter from the URL scheme. */
export async function openDatabase(url: string, maxConnections = 10): Promise<Database> {
  if (url.startsWith('pglite://')) return openPglite(url);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return openPostgres(url, { maxConnections });
  throw new Error(`no database adapter for ${url}`);
}
