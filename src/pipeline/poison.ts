import { type DeadLetter, encodeJson } from '../bus/codec.ts';
import { classifyBusError } from '../bus/errors.ts';
import type { BusMessage } from '../bus/port.ts';
import type { SampleBlock, ScalarReading, WindowFeatures } from '../domain/types.ts';
import { isSampleBlock } from '../domain/types.ts';
import type { FailureJudge, StoreFailure } from '../storage/ports/failures.ts';
import type { WindowBatch } from '../storage/ports/feature-store.ts';
import type { AlertAction } from './health.ts';
import { seriesKey } from './windows.ts';

/**
 * A batch's rows split into the smallest parts the database can refuse on their own, so that a batch it
 * refuses can be bisected down to the refused parts: each raw reading or block, each window (with its
 * series' progress), each alert action and each asset's health.
 */

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * How the processor judges a failed write: a bus send (dead letters) by the bus, a store's write by the
 * first of `stores` that knows the error. An error nobody knows is `record`: tried a bounded number of
 * times, then the records are isolated, so that one record a defect cannot handle does not stop every sensor.
 */
export function writeFailureJudge(stores: FailureJudge[]): (err: unknown) => StoreFailure {
  return (err) => {
    const bus = classifyBusError(err);
    if (bus) return { ...bus, reason: 'other', details: { message: bus.message } };
    for (const store of stores) {
      const failure = store.classify(err);
      if (failure) return failure;
    }
    return {
      kind: 'record',
      code: null,
      message: messageOf(err),
      reason: 'other',
      details: { message: messageOf(err) },
    };
  };
}

/** What one transaction writes. */
export type Rows = WindowBatch;

export type Unit =
  | { kind: 'reading'; reading: ScalarReading | SampleBlock }
  | { kind: 'window'; features: WindowFeatures }
  | { kind: 'alert'; action: AlertAction }
  | { kind: 'health'; assetId: string; health: number };

/** A unit the database refused on its own, with the error and its classification. */
export interface Refused {
  unit: Unit;
  err: unknown;
  failure: StoreFailure;
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
  const { unit, failure } = refused;
  const letter: DeadLetter = {
    source: 'process',
    index: null,
    field: unit.kind,
    reason: `the database refused this ${unit.kind}: ${failure.message}${codeNote(failure.code)}`,
    item: itemOf(unit),
    error: failure.details,
    receivedAt: new Date(now).toISOString(),
  };
  return { key: 'process', value: encodeJson(letter) };
}
