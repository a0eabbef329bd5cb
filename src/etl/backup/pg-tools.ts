import { execFile } from 'node:child_process';
import { access, constants, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * PostgreSQL's own client programs (pg_dump, pg_restore), found and run the way an operator would: the
 * folder given with --pg-bin, else PATH, else the newest /usr/lib/postgresql/<major>/bin (Debian's
 * layout). The password never appears on a command line: it goes in PGPASSWORD.
 */

const run = promisify(execFile);

/** A tool that is missing, too old for the server, or that refused: exit 2, the operator must act. */
export class PgToolError extends Error {}

export const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * The path of `tool` (pg_dump, pg_restore): in `pgBin` when given (and only there), else the first on
 * PATH, else in the newest `/usr/lib/postgresql/<major>/bin`. Throws PgToolError naming every place looked.
 */
export async function findPgTool(tool: string, pgBin?: string, root = DEBIAN_PG_ROOT): Promise<string> {
  if (pgBin) {
    const path = join(pgBin, tool);
    if (await executable(path)) return path;
    throw new PgToolError(`${tool} not found in --pg-bin ${pgBin}`);
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of onPath) if (await executable(join(dir, tool))) return join(dir, tool);
  const majors = (await readdir(root).catch(() => [] as string[]))
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const path = join(root, major, 'bin', tool);
    if (await executable(path)) return path;
  }
  throw new PgToolError(
    `${tool} not found on PATH nor in ${root}/<version>/bin: install the PostgreSQL client of the ` +
      `server's major version (Debian: postgresql-client-16) or name its folder with --pg-bin`,
  );
}

/** `pg_dump (PostgreSQL) 16.6` → { text, major: 16 }. Throws PgToolError when it does not answer. */
export async function toolVersion(path: string): Promise<{ text: string; major: number }> {
  let stdout: string;
  try {
    ({ stdout } = await run(path, ['--version']));
  } catch (err) {
    throw new PgToolError(`${path} --version failed: ${(err as Error).message}`);
  }
  const text = stdout.trim();
  const match = /(\d+)(?:\.\d+)?/.exec(text.replace(/^[^)]*\)/, ''));
  if (!match) throw new PgToolError(`${path} --version printed no version: ${text}`);
  return { text, major: Number(match[1]) };
}

/**
 * pg_dump must be of the server's major version or newer (pg_dump refuses an older one itself, with a
 * message naming both); refused here first so nothing starts. Throws PgToolError.
 */
export function checkToolNotOlder(tool: { text: string; major: number }, serverMajor: number, path: string) {
  if (tool.major < serverMajor)
    throw new PgToolError(
      `${path} is ${tool.text}, older than the server (PostgreSQL ${serverMajor}): install ` +
        `postgresql-client-${serverMajor} or name its folder with --pg-bin`,
    );
}

/**
 * What a PostgreSQL client program needs to reach the database of `url`: the connection string without
 * its password (for --dbname) and the environment carrying the password as PGPASSWORD.
 */
export function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  return { dbname: parsed.toString(), env };
}

/** A URL fit for messages: its password replaced. */
export function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
