import type { Sensor } from '../domain/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { FailureJudge } from '../storage/ports/failures.ts';

/** What the directory reads of the registry. */
export type SensorSource = Pick<AssetRegistry, 'sensors' | 'sensorOwners'>;

const FULL_RELOAD_MS = 30_000;
const UNKNOWN_RELOAD_MS = 1000;

export interface KnownSensor extends Sensor {
  siteId: string;
}

/**
 * Ingest's view of the registry, held in memory so that validation needs no query per item.
 * Reloaded when an unknown sensor shows up, at most once a second, so a flood of bad ids stays cheap, and
 * every half minute, so that sensors retired through another process are refused soon after.
 *
 * Ingestion needs the bus, not the database: once loaded, the directory outlives a failed reload. While the
 * registry cannot be read, readings are validated against the sensors last loaded (an unknown id is
 * refused as unknown, since no sensor can be registered meanwhile), reloads are tried in the background at
 * most once a second, and one line is logged when the registry is lost and one when it is back.
 */
export class SensorDirectory {
  private sensors = new Map<string, KnownSensor>();
  /** When the last load started, successful or not (epoch ms). */
  private lastAttempt = 0;
  /** When the directory in use was loaded (epoch ms); 0 before the first load. */
  private loadedAt = 0;
  /** When reloads began to fail, while they do. */
  private failingSince: number | null = null;
  private loading: Promise<void> | null = null;
  private readonly registry: SensorSource;
  private readonly store: FailureJudge;
  private readonly log: Logger | undefined;

  /** `store` judges the registry's errors for the log line (an outage, a missing table…). */
  constructor(registry: SensorSource, store: FailureJudge, log?: Logger) {
    this.registry = registry;
    this.store = store;
    this.log = log;
  }

  /** Loads every sensor. Throws the database's error; the directory then keeps what it had. */
  async load(): Promise<void> {
    const started = Date.now();
    this.lastAttempt = started;
    const [sensors, owners] = await Promise.all([this.registry.sensors(), this.registry.sensorOwners()]);
    this.sensors = new Map(sensors.map((s) => [s.id, { ...s, siteId: owners.get(s.id)?.siteId ?? '' }]));
    this.loadedAt = started;
    if (this.failingSince !== null) {
      this.log?.info(
        { sensors: this.sensors.size, failedForSeconds: Math.round((started - this.failingSince) / 1000) },
        'sensor registry readable again: sensors reloaded',
      );
      this.failingSince = null;
    }
  }

  /**
   * Makes the directory fit to validate these ids: reloads when one of them is unknown (waiting for it) or
   * the directory is older than half a minute (in the background), at most once a second; callers share a
   * reload. Throws the database's error only when no directory was ever loaded.
   */
  async ensure(ids: Iterable<string>): Promise<void> {
    // Waited for only when it may make an unknown id known: an outage must not delay every request.
    const mustWait = (unknown: boolean) => this.loadedAt === 0 || (unknown && this.failingSince === null);
    if (this.loading) return mustWait(this.anyUnknown(ids)) ? this.loading : undefined;
    const age = Date.now() - this.lastAttempt;
    if (age < UNKNOWN_RELOAD_MS) return;
    const unknown = this.anyUnknown(ids);
    if (age <= FULL_RELOAD_MS && !unknown) return;
    const wait = mustWait(unknown);
    const loading = this.reload().finally(() => {
      this.loading = null;
    });
    this.loading = loading;
    if (wait) return loading;
    // reload() throws only before the first load, and then every caller waits for it.
    loading.catch(() => {});
  }

  /** A load that keeps the directory in use when it fails, once there is one. */
  private async reload(): Promise<void> {
    try {
      await this.load();
    } catch (err) {
      if (this.loadedAt === 0) throw err;
      if (this.failingSince === null) {
        this.failingSince = this.lastAttempt;
        const failure = this.store.classify(err);
        const { kind, code, message } = failure ?? { kind: 'unknown', code: null, message: String(err) };
        this.log?.warn(
          {
            kind,
            code,
            error: message,
            sensors: this.sensors.size,
            loadedAt: new Date(this.loadedAt).toISOString(),
          },
          'sensor registry unreadable: ingesting against the sensors loaded before',
        );
      }
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

  /** Since when reloads fail (epoch ms), while they do; null when the last reload succeeded. */
  get unreadableSince(): number | null {
    return this.failingSince;
  }
}
