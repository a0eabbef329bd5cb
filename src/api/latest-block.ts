import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { Sensor } from '../domain/types.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import { readable } from './registry-schemas.ts';

/** How far back from `at` the latest block is looked for. */
const BLOCK_LOOKBACK_MS = 86_400_000;

/**
 * A vibration sensor and its latest sample block at or before `at` (epoch ms), within a day: what the
 * spectrum and envelope views are computed from. `what` names the view in the 409 message.
 * Throws NotFoundError for an unknown sensor, a retired one (unless `retired`), or no block in the day;
 * ConflictError (409, not 404: the id is right) for a sensor of another kind, which sends no blocks.
 */
export async function latestBlock(
  registry: AssetRegistry,
  raw: RawStore,
  sensorId: string,
  at: number,
  options: { retired: boolean; what: string },
): Promise<{ sensor: Sensor; block: { ts: number; rateHz: number; values: number[] } }> {
  const sensor = readable(`sensor ${sensorId}`, await registry.getSensor(sensorId), options.retired);
  if (sensor.kind !== 'vibration') {
    throw new ConflictError(
      `sensor ${sensorId} is a ${sensor.kind} sensor, not a vibration sensor: ${options.what} is computed from a vibration sensor's sample blocks`,
    );
  }
  const { block } = await raw.readSignal(sensorId, at - BLOCK_LOOKBACK_MS, at + 1, 1);
  if (!block) throw new NotFoundError(`sensor ${sensorId} has no sample block in the day before ${at}`);
  return { sensor, block };
}
