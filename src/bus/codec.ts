import type { ReadingEnvelope } from '../domain/types.ts';

/** JSON on the wire: readable with any Kafka tool, and schema changes go through a new topic version. */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Header set by ingest on every readings message: when it was accepted, in epoch ms. */
export const INGESTED_AT_HEADER = 'mantis-ingested-at';

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Why a reading on the wire is malformed (`field: reason`), or null. Ingest only publishes valid ones. */
function readingProblem(reading: unknown, at: string): string | null {
  if (typeof reading !== 'object' || reading === null || Array.isArray(reading))
    return `${at}: must be an object`;
  const { sensorId, ts, value, rateHz, values } = reading as Record<string, unknown>;
  if (typeof sensorId !== 'string' || sensorId.length === 0)
    return `${at}.sensorId: must be a non-empty string`;
  if (!isFiniteNumber(ts)) return `${at}.ts: must be a finite number (epoch ms)`;
  if (values === undefined) return isFiniteNumber(value) ? null : `${at}.value: must be a finite number`;
  if (!isFiniteNumber(rateHz) || rateHz <= 0) return `${at}.rateHz: must be a positive number`;
  if (!Array.isArray(values) || values.length === 0) return `${at}.values: must be a non-empty array`;
  const bad = values.findIndex((v) => !isFiniteNumber(v));
  return bad >= 0 ? `${at}.values[${bad}]: must be a finite number` : null;
}

/**
 * A readings message: `{assetId, readings: [{sensorId, ts, value} | {sensorId, ts, rateHz, values}]}`.
 * Throws naming the field when the bytes are not one (any producer may write to the topic).
 */
export function decodeEnvelope(bytes: Uint8Array): ReadingEnvelope {
  const envelope = decodeJson<ReadingEnvelope>(bytes);
  if (typeof envelope?.assetId !== 'string' || !Array.isArray(envelope.readings)) {
    throw new Error('not a reading envelope: assetId and readings are required');
  }
  for (let i = 0; i < envelope.readings.length; i++) {
    const problem = readingProblem(envelope.readings[i], `readings[${i}]`);
    if (problem) throw new Error(`not a reading envelope: ${problem}`);
  }
  return envelope;
}

/** What the dead-letter topic carries for each rejected item. */
export interface DeadLetter {
  source: 'http' | 'mqtt' | 'process';
  index: number | null;
  field: string;
  reason: string;
  /**
   * The rejected item as received (a parsed value, or the text that did not parse), or the start of its JSON
   * or text when truncated (see ingest/payload.ts).
   */
  item: unknown;
  /** Set when item is only the start of the rejected item's JSON or text (too long or too deeply nested). */
  truncated?: boolean;
  /** When the store refused the item (source process): the engine's error code (SQLSTATE) and message. */
  error?: Record<string, string>;
  receivedAt: string;
}
