import { homedir } from 'node:os';
import { join } from 'node:path';
import { executableAvailable } from './infra.ts';

/** Checkers installed by scripts/stack/lint-tools.sh (and shellcheck from Debian by tools.sh). */
const bin = process.env.MANTIS_LINT_BIN ?? join(homedir(), '.cache/mantis/lint/bin');
export const DOCKER_COMPOSE = join(bin, 'docker-compose');
export const HADOLINT = join(bin, 'hadolint');
export const ACTIONLINT = join(bin, 'actionlint');
export const SHELLCHECK = '/usr/bin/shellcheck';

export const lintTools = [
  await executableAvailable(DOCKER_COMPOSE),
  await executableAvailable(HADOLINT),
  await executableAvailable(ACTIONLINT),
  await executableAvailable(SHELLCHECK),
];
