import { ValidationError } from '../domain/errors.ts';

/** Folder of a training run's artifacts that a model version is registered from, and the model file in it. */
export const MODEL_ARTIFACT_DIR = 'model';
export const MODEL_FILE = `${MODEL_ARTIFACT_DIR}/model.json`;

/** Asset types a registered model can be named after: MLflow names and folder names alike. */
const ASSET_TYPE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The registered model name of an asset type: `prefix` + type (`mantis-health-pump`).
 * @throws ValidationError on `assetType` when the type has characters a model name cannot carry.
 */
export function modelNameOf(prefix: string, assetType: string, field = 'assetType'): string {
  if (!ASSET_TYPE.test(assetType)) {
    throw new ValidationError(
      field,
      `${JSON.stringify(assetType)}: a model is named after its asset type, which must be 1–64 letters, digits, _, . or -`,
    );
  }
  return `${prefix}${assetType}`;
}

/** Whether an asset type can have a learned model (see modelNameOf). */
export const canHaveModel = (assetType: string): boolean => ASSET_TYPE.test(assetType);
