import { isSampleBlock, type Reading, type WindowFeatures } from '../domain/types.ts';
import type { DiagnosticBlock, DiagnosticFeatures } from './diagnostics.ts';
import { timeDomainFeatures } from './features.ts';
import { bandEnergies, dominantFrequency, type PowerSpectrum, powerSpectrum } from './spectrum.ts';

/** Where a reading came from on the bus, so offsets are committed only once its window is stored. */
export interface Origin {
  partition: number;
  offset: number;
}

export interface WindowOptions {
  windowMs: number;
  /** How long after a window's end its sensor's event time must run before it closes. */
  latenessMs: number;
  /** A window whose sensor has sent nothing for this long (wall clock) closes anyway… */
  idleMs: number;
  /**
   * …but, on a durable bus, only once the event time of its partition (other sensors) has passed the
   * window's end: a stalled bus or a rebalance must not close windows whose readings are still coming.
   */
  idleNeedsPartitionProgress: boolean;
  bandEdgesHz: readonly number[];
  /**
   * Diagnosis of a closed window's sample blocks (see diagnostics.ts), merged into its features; null for a
   * sensor that is not diagnosed. Absent: no diagnosis.
   */
  diagnose?: (assetId: string, sensorId: string, blocks: DiagnosticBlock[]) => DiagnosticFeatures | null;
}

/**
 * An open tumbling window of one (asset, sensor). Entries are keyed by timestamp, so a reading
 * delivered twice (a client retry, a replay) counts once: features are exactly-once per window.
 */
interface OpenWindow {
  start: number;
  entries: Map<number, { values: ArrayLike<number>; rateHz: number | null }>;
  origins: Map<number, number>;
}

interface SeriesState {
  assetId: string;
  sensorId: string;
  /**
   * The two highest event times of distinct readings, each bounded by its arrival time (top ≥ second):
   * the series' event-time frontier is `top` once a second reading confirms it, else `second`.
   */
  top: number;
  second: number;
  lastSeenWall: number;
  /** Every window starting before this is closed and stored. */
  closedUntil: number;
  open: Map<number, OpenWindow>;
}

export interface ClosedWindow {
  assetId: string;
  sensorId: string;
  start: number;
  end: number;
  features: Omit<WindowFeatures, 'anomalyScore' | 'health'>;
}

/**
 * 'added' to an open window; 'duplicate' when the window already holds a reading of that timestamp (the
 * newer one replaces it, and it is counted once); 'late' when its window is already closed and stored.
 */
export type AddOutcome = 'added' | 'duplicate' | 'late';

export function seriesKey(assetId: string, sensorId: string): string {
  return `${assetId}\u0000${sensorId}`;
}

/**
 * Tumbling event-time windows per (asset, sensor), closed on the watermark, on idleness and on drain.
 *
 * Each series has its own watermark: its event-time frontier minus the allowed lateness. A reading moves the
 * frontier only (1) as far as its arrival time — event time cannot run ahead of the clock that received it,
 * so a reading stamped in the future waits for the clock instead of closing the windows of the readings that
 * follow — and (2) once confirmed: the highest event time counts only when another reading lies within the
 * allowed lateness of it, so one reading whose timestamp jumps ahead (a replay or a backfill, where arrival
 * time does not bound it) holds back the frontier at the reading before it. A reading with a timestamp
 * behind the frontier never moves it: it joins its window if still open, else it is late.
 */
export class WindowSet {
  private readonly series = new Map<string, SeriesState>();
  private readonly touched = new Set<SeriesState>();
  /** Highest event time seen per bus partition. */
  private readonly partitionMaxTs = new Map<number, number>();
  private readonly options: WindowOptions;

  constructor(options: WindowOptions) {
    this.options = options;
  }

  /** Restores what was already stored, so replayed readings do not reopen closed windows. */
  restore(assetId: string, sensorId: string, closedUntil: number): void {
    const state = this.stateOf(assetId, sensorId, 0);
    state.closedUntil = Math.max(state.closedUntil, closedUntil);
    // What is stored is confirmed event time.
    state.top = Math.max(state.top, closedUntil);
    state.second = Math.max(state.second, closedUntil);
  }

  /**
   * Puts a reading in its series' window. `origin` is where it sits on the bus (null: nowhere to commit);
   * `nowWall` is the processor's clock (epoch ms), for idle closing; `arrivedAt` is when ingest accepted it
   * (epoch ms), which bounds how far its timestamp may move the watermark (absent: not bounded).
   */
  add(
    assetId: string,
    reading: Reading,
    origin: Origin | null,
    nowWall: number,
    arrivedAt = Number.POSITIVE_INFINITY,
  ): AddOutcome {
    const state = this.stateOf(assetId, reading.sensorId, nowWall);
    const start = reading.ts - (reading.ts % this.options.windowMs);
    state.lastSeenWall = nowWall;
    if (start < state.closedUntil) return 'late';
    let window = state.open.get(start);
    if (!window) {
      window = { start, entries: new Map(), origins: new Map() };
      state.open.set(start, window);
    }
    const duplicate = window.entries.has(reading.ts);
    window.entries.set(
      reading.ts,
      isSampleBlock(reading)
        ? { values: reading.values, rateHz: reading.rateHz }
        : { values: [reading.value], rateHz: null },
    );
    if (origin && !window.origins.has(origin.partition)) {
      window.origins.set(origin.partition, origin.offset);
    }
    if (duplicate) return 'duplicate';
    const eventTime = Math.min(reading.ts, arrivedAt);
    if (origin && eventTime > (this.partitionMaxTs.get(origin.partition) ?? Number.NEGATIVE_INFINITY)) {
      this.partitionMaxTs.set(origin.partition, eventTime);
    }
    if (eventTime > state.top) {
      state.second = state.top;
      state.top = eventTime;
    } else if (eventTime > state.second) state.second = eventTime;
    this.touched.add(state);
    return 'added';
  }

  /** A series' event-time frontier: its highest event time once confirmed, else the one before it. */
  private frontier(state: SeriesState): number {
    return state.top - state.second <= this.options.latenessMs ? state.top : state.second;
  }

  /** Windows whose watermark has passed, or whose sensor has been idle; in start order per series. */
  closeReady(nowWall: number): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    for (const state of this.touched) {
      const watermark = this.frontier(state) - this.options.latenessMs;
      this.closeWhere(state, (w) => w.start + this.options.windowMs <= watermark, closed);
    }
    this.touched.clear();
    for (const state of this.series.values()) {
      if (state.open.size > 0 && nowWall - state.lastSeenWall >= this.options.idleMs) {
        this.closeWhere(state, (w) => this.partitionHasMovedOn(w), closed);
      }
    }
    return closed;
  }

  private partitionHasMovedOn(window: OpenWindow): boolean {
    if (!this.options.idleNeedsPartitionProgress) return true;
    const end = window.start + this.options.windowMs + this.options.latenessMs;
    return [...window.origins.keys()].every(
      (p) => (this.partitionMaxTs.get(p) ?? Number.NEGATIVE_INFINITY) >= end,
    );
  }

  /** Closes every open window (shutdown). */
  drain(): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    for (const state of this.series.values()) this.closeWhere(state, () => true, closed);
    this.touched.clear();
    return closed;
  }

  /** Per partition, the lowest offset still held by an open window. */
  heldOffsets(): Map<number, number> {
    const held = new Map<number, number>();
    for (const state of this.series.values()) {
      for (const window of state.open.values()) {
        for (const [partition, offset] of window.origins) {
          const current = held.get(partition);
          if (current === undefined || offset < current) held.set(partition, offset);
        }
      }
    }
    return held;
  }

  /** Forgets the open windows fed from these partitions: another instance now owns and replays them. */
  dropPartitions(keep: (partition: number) => boolean): number {
    let dropped = 0;
    for (const [key, state] of this.series) {
      for (const [start, window] of state.open) {
        if ([...window.origins.keys()].some((p) => !keep(p))) {
          state.open.delete(start);
          dropped++;
        }
      }
      if (state.open.size === 0) this.series.delete(key);
    }
    return dropped;
  }

  openWindowCount(): number {
    let n = 0;
    for (const state of this.series.values()) n += state.open.size;
    return n;
  }

  private closeWhere(state: SeriesState, ready: (w: OpenWindow) => boolean, out: ClosedWindow[]): void {
    const starts = [...state.open.keys()].sort((a, b) => a - b);
    for (const start of starts) {
      const window = state.open.get(start) as OpenWindow;
      if (!ready(window)) break;
      state.open.delete(start);
      const end = start + this.options.windowMs;
      state.closedUntil = Math.max(state.closedUntil, end);
      out.push({
        assetId: state.assetId,
        sensorId: state.sensorId,
        start,
        end,
        features: windowFeatures(state, window, end, this.options),
      });
    }
  }

  private stateOf(assetId: string, sensorId: string, nowWall: number): SeriesState {
    const key = seriesKey(assetId, sensorId);
    let state = this.series.get(key);
    if (!state) {
      state = {
        assetId,
        sensorId,
        top: Number.NEGATIVE_INFINITY,
        second: Number.NEGATIVE_INFINITY,
        lastSeenWall: nowWall,
        closedUntil: Number.NEGATIVE_INFINITY,
        open: new Map(),
      };
      this.series.set(key, state);
    }
    return state;
  }
}

function windowFeatures(
  state: SeriesState,
  window: OpenWindow,
  end: number,
  options: WindowOptions,
): ClosedWindow['features'] {
  const entries = [...window.entries.values()];
  const td = timeDomainFeatures(entries.map((e) => e.values));
  const blocks: DiagnosticBlock[] = [];
  for (const [ts, e] of window.entries)
    if (e.rateHz !== null) blocks.push({ ts, values: e.values, rateHz: e.rateHz });
  const diagnosed =
    options.diagnose && blocks.length > 0 ? options.diagnose(state.assetId, state.sensorId, blocks) : null;
  return {
    assetId: state.assetId,
    sensorId: state.sensorId,
    windowStart: window.start,
    windowEnd: end,
    ...td,
    ...spectralFeatures(entries, options.bandEdgesHz),
    ...(diagnosed && diagnosed),
  };
}

/**
 * Band energies are averaged over the window's blocks; the dominant frequency comes from the summed
 * spectrum of the blocks shaped like the first (same rate and length), as only like spectra add bin by bin.
 */
function spectralFeatures(
  entries: { values: ArrayLike<number>; rateHz: number | null }[],
  bandEdgesHz: readonly number[],
): { dominantHz: number | null; bandEnergies: number[] | null } {
  let bands: number[] | null = null;
  let blocks = 0;
  let sum: PowerSpectrum | null = null;
  for (const { values, rateHz } of entries) {
    if (rateHz === null) continue;
    const spectrum = powerSpectrum(values, rateHz);
    const energies = bandEnergies(spectrum, bandEdgesHz);
    bands = bands ? bands.map((b, i) => b + energies[i]) : energies;
    blocks++;
    if (!sum) sum = { ...spectrum, power: Float64Array.from(spectrum.power) };
    else if (sum.rateHz === rateHz && sum.power.length === spectrum.power.length) {
      for (let k = 0; k < sum.power.length; k++) sum.power[k] += spectrum.power[k];
    }
  }
  return {
    dominantHz: sum ? dominantFrequency(sum) : null,
    bandEnergies: bands ? bands.map((b) => b / blocks) : null,
  };
}
