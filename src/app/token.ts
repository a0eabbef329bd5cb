import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, databaseUrl } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { adapterFor } from '../storage/adapters.ts';

/**
 * The bearer token: from the configuration, or — on the embedded database only — generated once and
 * kept in the data folder (mode 0600) so that it survives restarts. Production setups must set it.
 */
export function resolveToken(config: Config): { token: string; generated: boolean } {
  if (config.ingest.token) return { token: config.ingest.token, generated: false };
  const url = databaseUrl(config);
  if (adapterFor('database', url).name !== 'pglite') {
    throw new ConfigError([
      'MANTIS_INGEST_TOKEN (ingest.token): is required unless the database is embedded',
    ]);
  }
  const file = join(config.dataDir, 'ingest-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(config.dataDir, { recursive: true });
  const token = `mnt_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}
