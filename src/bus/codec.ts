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

export function decodeEnvelope(bytes: Uint8Array): ReadingEnvelope {
  const envelope = decodeJson<ReadingEnvelope>(bytes);
  if (typeof envelope?.assetId !== 'string' || !Array.isArray(envelope.readings)) {
    throw new Error('not a reading envelope: assetId and readings are required');
  }
  return envelope;
}

/** What the dead-letter topic carries for each rejected item. */
export interface DeadLetter {
  source: 'http' | 'mqtt' | 'process';
  index: number | null;
  field: string;
  reason: string;
  item: unknown;
  receivedAt: string;
}
