import { ValidationError } from '../../domain/errors.ts';

/**
 * The names both tracking adapters accept, checked before any I/O so that a name valid in the local folder
 * is valid on MLflow and the other way round. The rules are MLflow's own (mlflow/utils/validation.py,
 * MLflow 3.x), narrowed where a name becomes a file or folder name in the local store.
 */

/** Experiment and registered model names: they name folders locally, so no separators or dot-only names. */
const ENTITY_NAME = /^[A-Za-z0-9_][\w.-]{0,249}$/;
/** Parameter, metric and tag keys: MLflow's characters (alphanumerics, _ - . space : /). */
const KEY = /^[\w.\- :/]{1,250}$/;
/** Aliases: MLflow's `^[\w\-]*$`, at most 255, not `latest` nor `v<digits>` (reserved for versions). */
const ALIAS = /^[\w-]{1,255}$/;
/** MLflow's run id rule (`_RUN_ID_REGEX`). */
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const VERSION = /^[1-9]\d{0,17}$/;
/** MLflow's MAX_PARAM_VAL_LENGTH. */
export const MAX_PARAM_VALUE_LENGTH = 6000;

const quote = (value: unknown) => JSON.stringify(value);

/** An experiment or registered model name. @throws ValidationError on `field`. */
export function checkEntityName(field: string, name: string): string {
  if (typeof name !== 'string' || !ENTITY_NAME.test(name)) {
    throw new ValidationError(
      field,
      `${quote(name)}: expected 1–250 letters, digits, _, . or -, not starting with . or -`,
    );
  }
  return name;
}

/**
 * A parameter, metric or tag key, or an artifact path: `/`-separated segments that never climb out
 * (no empty, `.` or `..` segment, no leading `/`), as MLflow's path_not_unique refuses.
 * @throws ValidationError on `field`.
 */
function checkRelative(field: string, value: string, what: string): string {
  const segments = value.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new ValidationError(
      field,
      `${quote(value)}: a ${what} is relative, with no empty, "." or ".." part`,
    );
  }
  return value;
}

/** A parameter, metric or tag key (MLflow's rule). @throws ValidationError on `field`. */
export function checkKey(field: string, key: string): string {
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new ValidationError(
      field,
      `${quote(key)}: expected 1–250 letters, digits, spaces, _, -, ., : or /`,
    );
  }
  return checkRelative(field, key, 'key');
}

/** An artifact path such as `model/model.json`. @throws ValidationError on `field`. */
export function checkArtifactPath(field: string, path: string): string {
  if (typeof path !== 'string' || path.length === 0 || path.length > 1000) {
    throw new ValidationError(field, `${quote(path)}: expected a relative path of 1–1000 characters`);
  }
  if ([...path].some((c) => c === '\\' || c.charCodeAt(0) < 0x20)) {
    throw new ValidationError(field, `${quote(path)}: holds a backslash or a control character`);
  }
  return checkRelative(field, path, 'path');
}

/** A model alias (MLflow's rule, reserved names included). @throws ValidationError on `alias`. */
export function checkAlias(alias: string): string {
  if (typeof alias !== 'string' || !ALIAS.test(alias)) {
    throw new ValidationError('alias', `${quote(alias)}: expected 1–255 letters, digits, _ or -`);
  }
  if (alias.toLowerCase() === 'latest' || /^[vV]\d+$/.test(alias)) {
    throw new ValidationError(
      'alias',
      `${quote(alias)}: reserved by MLflow ("latest" and v<number> name versions)`,
    );
  }
  return alias;
}

/** A run id. @throws ValidationError on `runId`. */
export function checkRunId(runId: string): string {
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new ValidationError('runId', `${quote(runId)}: expected letters, digits, _ or -`);
  }
  return runId;
}

/** A version number as a decimal string ("1", "2", …). @throws ValidationError on `version`. */
export function checkVersion(version: string): string {
  if (typeof version !== 'string' || !VERSION.test(version)) {
    throw new ValidationError('version', `${quote(version)}: expected a version number (1, 2, …)`);
  }
  return version;
}

/** A metric step: an integer (MLflow keeps an int64). @throws ValidationError on `step`. */
export function checkStep(step: number): number {
  if (!Number.isSafeInteger(step)) throw new ValidationError('step', `${quote(step)}: expected an integer`);
  return step;
}

/** Metrics as MLflow takes them: finite numbers under valid keys. @throws ValidationError on `metrics.<key>`. */
export function checkMetrics(metrics: Record<string, number>): [string, number][] {
  const entries = Object.entries(metrics);
  for (const [key, value] of entries) {
    checkKey(`metrics.${key}`, key);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValidationError(`metrics.${key}`, `${quote(String(value))}: expected a finite number`);
    }
  }
  return entries;
}

/**
 * Parameters as MLflow keeps them: strings of at most 6000 characters under valid keys.
 * @throws ValidationError on `params.<key>`.
 */
export function checkParams(params: Record<string, string | number | boolean>): [string, string][] {
  return Object.entries(params).map(([key, value]) => {
    checkKey(`params.${key}`, key);
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new ValidationError(`params.${key}`, 'expected a string, number or boolean');
    }
    const text = String(value);
    if (text.length > MAX_PARAM_VALUE_LENGTH) {
      throw new ValidationError(
        `params.${key}`,
        `${text.length} characters; at most ${MAX_PARAM_VALUE_LENGTH}`,
      );
    }
    return [key, text];
  });
}
