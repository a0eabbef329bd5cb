import type { Sensor } from '../domain/types.ts';
import type { Queryable } from '../storage/ports/database.ts';
import { listSensors, sensorOwners } from '../storage/postgres/registry.ts';

const FULL_RELOAD_MS = 30_000;

export interface KnownSensor extends Sensor {
  siteId: string;
}

/**
 * Ingest's view of the registry, held in memory so that validation needs no query per item.
 * Reloaded when an unknown sensor shows up, at most once a second, so a flood of bad ids stays cheap, and
 * every half minute, so that sensors retired through another process are refused soon after.
 */
export class SensorDirectory {
  private sensors = new Map<string, KnownSensor>();
  private lastLoad = 0;
  private loading: Promise<void> | null = null;
  private readonly db: Queryable;

  constructor(db: Queryable) {
    this.db = db;
  }

  async load(): Promise<void> {
    this.lastLoad = Date.now();
    const [sensors, owners] = await Promise.all([listSensors(this.db), sensorOwners(this.db)]);
    this.sensors = new Map(sensors.map((s) => [s.id, { ...s, siteId: owners.get(s.id)?.siteId ?? '' }]));
  }

  /** Reloads if any of these ids is unknown or the registry is old, at most once a second; callers share it. */
  async ensure(ids: Iterable<string>): Promise<void> {
    if (this.loading) return this.loading;
    const age = Date.now() - this.lastLoad;
    if (age < 1000) return;
    if (age > FULL_RELOAD_MS || this.anyUnknown(ids)) {
      this.loading = this.load().finally(() => {
        this.loading = null;
      });
      return this.loading;
    }
  }

  // A loop rather than a spread: ingest calls this per request with up to a batch of ids.
  private anyUnknown(ids: Iterable<string>): boolean {
    for (const id of ids) if (typeof id === 'string' && !this.sensors.has(id)) return true;
    return false;
  }

  /** Takes a registered asset's sensors at once, without reloading the whole registry. */
  put(siteId: string, sensors: Sensor[]): void {
    for (const sensor of sensors) this.sensors.set(sensor.id, { ...sensor, siteId });
  }

  /** Forgets retired sensors at once, in this process. */
  remove(ids: Iterable<string>): void {
    for (const id of ids) this.sensors.delete(id);
  }

  find = (id: string): KnownSensor | undefined => this.sensors.get(id);

  get size(): number {
    return this.sensors.size;
  }
}
