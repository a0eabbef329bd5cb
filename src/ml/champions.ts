/**
 * The champion models the processor serves: for each asset type, the version the champion alias points at,
 * loaded from its training run's artifact and polled again every `pollMs`, so that moving the alias
 * (`mantis ml promote`) reaches the stream without a restart. A type without a champion, or whose model
 * cannot be read, is scored by the baseline scorer; a model that fails to load never replaces a served one.
 */
import type { ModelRef } from '../domain/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { WindowScorer } from '../pipeline/scoring.ts';
import { type HealthModel, scorerOf } from './model.ts';
import { readModelFile } from './model-file.ts';
import { canHaveModel, modelNameOf } from './naming.ts';
import type { ModelTracking } from './tracking/port.ts';

export interface ChampionOptions {
  /** Registered model name prefix (config ml.modelPrefix). */
  prefix: string;
  /** The alias served (config ml.championAlias). */
  alias: string;
  /** Poll interval, ms (config ml.pollSeconds × 1000). */
  pollMs: number;
}

export interface ChampionHooks {
  log: Logger;
  /** The model served for an asset type changed (null: none any more, baseline scoring). */
  onServed?(assetType: string, served: ModelRef | null, previous: ModelRef | null): void;
  /** A poll failed for one reason or more; the served models stay. */
  onPollFailed?(reason: string): void;
}

interface Served {
  ref: ModelRef;
  scorer: WindowScorer;
}

export class ChampionModels {
  private readonly served = new Map<string, Served>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  /** The last poll's failure, null when it succeeded. */
  private lastError: string | null = null;
  private lastPollAt: number | null = null;

  private readonly tracking: ModelTracking;
  /** The asset types in the registry (asked at each poll: types appear as assets are registered). */
  private readonly assetTypes: () => Promise<Iterable<string>>;
  private readonly options: ChampionOptions;
  private readonly hooks: ChampionHooks;

  constructor(
    tracking: ModelTracking,
    assetTypes: () => Promise<Iterable<string>>,
    options: ChampionOptions,
    hooks: ChampionHooks,
  ) {
    this.tracking = tracking;
    this.assetTypes = assetTypes;
    this.options = options;
    this.hooks = hooks;
  }

  /** Loads the champions once (errors logged, not thrown), then polls every pollMs until stop(). */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The champion's scorer for an asset type, or null: the baseline scorer. */
  scorerFor(assetType: string): WindowScorer | null {
    return this.served.get(assetType)?.scorer ?? null;
  }

  /** The model served for each asset type that has one. */
  models(): Map<string, ModelRef> {
    return new Map([...this.served].map(([type, s]) => [type, s.ref]));
  }

  /** The state of polling, for readiness: when it last polled and what failed. */
  status(): { lastPollAt: number | null; lastError: string | null; served: number } {
    return { lastPollAt: this.lastPollAt, lastError: this.lastError, served: this.served.size };
  }

  /** One poll of every asset type; concurrent calls share it. Never throws. */
  refresh(): Promise<void> {
    this.refreshing ??= this.poll().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async poll(): Promise<void> {
    let types: string[];
    try {
      types = [...new Set(await this.assetTypes())].filter(canHaveModel);
    } catch (err) {
      this.failed(`asset types: ${(err as Error).message}`);
      return;
    }
    const failures: string[] = [];
    for (const type of types) {
      try {
        await this.pollType(type);
      } catch (err) {
        failures.push(`${type}: ${(err as Error).message}`);
      }
    }
    this.lastPollAt = Date.now();
    if (failures.length > 0) this.failed(failures.join('; '));
    else this.lastError = null;
  }

  private async pollType(assetType: string): Promise<void> {
    const name = modelNameOf(this.options.prefix, assetType);
    const current = this.served.get(assetType);
    const version = await this.tracking.versionByAlias(name, this.options.alias);
    if (!version) {
      if (current) {
        // The alias was removed: back to the baseline scorer, said once.
        this.served.delete(assetType);
        this.hooks.log.warn({ assetType, model: current.ref }, 'champion alias removed: baseline scoring');
        this.hooks.onServed?.(assetType, null, current.ref);
      }
      return;
    }
    if (current && current.ref.name === name && current.ref.version === version.version) return;
    let model: HealthModel;
    try {
      model = await readModelFile(this.tracking, version.runId, assetType);
    } catch (err) {
      throw new Error(`${name} version ${version.version}: ${(err as Error).message}`);
    }
    const ref: ModelRef = { name, version: version.version };
    this.served.set(assetType, { ref, scorer: scorerOf(model, ref) });
    this.hooks.log.info({ assetType, model: ref, previous: current?.ref ?? null }, 'serving champion model');
    this.hooks.onServed?.(assetType, ref, current?.ref ?? null);
  }

  private failed(reason: string): void {
    this.hooks.onPollFailed?.(reason);
    // Logged when it changes, not at every poll of a long outage.
    if (reason !== this.lastError)
      this.hooks.log.warn({ error: reason.slice(0, 500) }, 'champion models not refreshed');
    this.lastError = reason;
  }
}
