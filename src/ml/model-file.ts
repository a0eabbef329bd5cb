import { ValidationError } from '../domain/errors.ts';
import { type HealthModel, parseHealthModel } from './model.ts';
import { MODEL_FILE } from './naming.ts';
import type { ModelTracking } from './tracking/port.ts';

/** Largest model file read (bytes): a model is a few kB of JSON; a bigger file is not one of ours. */
const MAX_MODEL_BYTES = 4 * 1024 * 1024;

/**
 * The model file of a registered version's run, read and checked as the processors serve it: its size, its
 * JSON, parseHealthModel's checks, and that it was trained for `assetType`.
 * @throws ValidationError naming `model…` for a file that cannot be served, SyntaxError for one that is not JSON,
 * and what the tracking adapter throws (NotFoundError for a missing file).
 */
export async function readModelFile(
  tracking: ModelTracking,
  runId: string,
  assetType: string,
): Promise<HealthModel> {
  const bytes = await tracking.readArtifact(runId, MODEL_FILE);
  if (bytes.byteLength > MAX_MODEL_BYTES) {
    throw new ValidationError(
      'model',
      `${MODEL_FILE} is ${bytes.byteLength} bytes, more than ${MAX_MODEL_BYTES}`,
    );
  }
  const model = parseHealthModel(JSON.parse(new TextDecoder().decode(bytes)));
  if (model.assetType !== assetType) {
    throw new ValidationError(
      'model.assetType',
      `trained for asset type ${model.assetType}, not ${assetType}`,
    );
  }
  return model;
}
