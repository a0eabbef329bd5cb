import { type DeadLetter, encodeJson } from '../bus/codec.ts';
import { classifyBusError } from '../bus/errors.ts';
import type { BusMessage } from '../bus/port.ts';
import type { SampleBlock, ScalarReading, WindowFeatures } from '../domain/types.ts';
import { isSampleBlock } from '../domain/types.ts';
import type { Failure } from '../lib/retry.ts';
import { classifyStorageError, errorDetails } from '../storage/errors.ts';
import { isMissingPartition } from '../storage/partitions.ts';
import type { AlertAction } from './health.ts';
import { seriesKey } from './windows.ts';

/**
 * A batch's rows split into the smallest parts the database can refuse on their own, so that a batch it
 * refuses can be bisected down to the refused parts: each raw reading or block, each window (with its
 * series' progress), each alert action and each asset's health.
 */

/**
 * A failed write of the processor: a bus send (dead letters) or a database write. A row for a day whose
 * partition was dropped by another process's retention is transient: the retry makes the partition again.
 */
export function classifyWriteFailure(err: unknown): Failure {
  // An adapter's error that carries its own classification (the InfluxDB raw store's).
  const own = (err as { failure?: Failure } | null)?.failure;
  if (own && typeof own.kind === 'string') return own;
  if (isMissingPartition(err)) return { kind: 'transient', code: '23514', message: (err as Error).message };
  return classifyBusError(err) ?? classifyStorageError(err);
}

/** What one transaction writes. */
export interface Rows {
  scalars: ScalarReading[];
  blocks: SampleBlock[];
  features: WindowFeatures[];
  actions: AlertAction[];
  /** Per series: asset, sensor, and the end of its last closed window (epoch ms). */
  progress: Map<string, [string, string, number]>;
  /** Per asset: health 0–100. */
  assetHealth: Map<string, number>;
}

export type Unit =
  | { kind: 'reading'; reading: ScalarReading | SampleBlock }
  | { kind: 'window'; features: WindowFeatures }
  | { kind: 'alert'; action: AlertAction }
  | { kind: 'health'; assetId: string; health: number };

/** A unit the database refused on its own, with the error and its classification. */
export interface Refused {
  unit: Unit;
  err: unknown;
  failure: Failure;
}

/** The rows of a prepared batch, as they are. */
export function rowsOfBatch(batch: Rows): Rows {
  const { scalars, blocks, features, actions, progress, assetHealth } = batch;
  return { scalars, blocks, features, actions, progress, assetHealth };
}

/** Readings first, then windows, alert actions and health, in the batch's order. */
export function unitsOf(rows: Rows): Unit[] {
  return [
    ...rows.scalars.map((reading): Unit => ({ kind: 'reading', reading })),
    ...rows.blocks.map((reading): Unit => ({ kind: 'reading', reading })),
    ...rows.features.map((features): Unit => ({ kind: 'window', features })),
    ...rows.actions.map((action): Unit => ({ kind: 'alert', action })),
    ...[...rows.assetHealth].map(([assetId, health]): Unit => ({ kind: 'health', assetId, health })),
  ];
}

/** The rows of some units; a window brings its series' progress up to its own end. */
export function rowsOfUnits(units: Unit[]): Rows {
  const rows: Rows = {
    scalars: [],
    blocks: [],
    features: [],
    actions: [],
    progress: new Map(),
    assetHealth: new Map(),
  };
  for (const unit of units) {
    if (unit.kind === 'reading') {
      if (isSampleBlock(unit.reading)) rows.blocks.push(unit.reading);
      else rows.scalars.push(unit.reading);
    } else if (unit.kind === 'window') {
      const f = unit.features;
      rows.features.push(f);
      const key = seriesKey(f.assetId, f.sensorId);
      if ((rows.progress.get(key)?.[2] ?? Number.NEGATIVE_INFINITY) < f.windowEnd) {
        rows.progress.set(key, [f.assetId, f.sensorId, f.windowEnd]);
      }
    } else if (unit.kind === 'alert') rows.actions.push(unit.action);
    else rows.assetHealth.set(unit.assetId, unit.health);
  }
  return rows;
}

/** What a refused unit is, for the dead letter's item. */
function itemOf(unit: Unit): unknown {
  switch (unit.kind) {
    case 'reading':
      return unit.reading;
    case 'window':
      return unit.features;
    case 'alert':
      return unit.action;
    case 'health':
      return { assetId: unit.assetId, health: unit.health };
  }
}

function codeNote(code: string | null): string {
  if (!code) return '';
  return /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : ` (${code})`;
}

/**
 * The dead letter of a refused unit: source `process`, field the unit's kind (`reading`, `window`, `alert`,
 * `health`), the database's reason and error (SQLSTATE, constraint…), and the unit itself as the item.
 * `now` is epoch ms.
 */
export function refusedLetter(refused: Refused, now: number): BusMessage {
  const { unit, err, failure } = refused;
  const letter: DeadLetter = {
    source: 'process',
    index: null,
    field: unit.kind,
    reason: `the database refused this ${unit.kind}: ${failure.message}${codeNote(failure.code)}`,
    item: itemOf(unit),
    error: errorDetails(err),
    receivedAt: new Date(now).toISOString(),
  };
  return { key: 'process', value: encodeJson(letter) };
}
