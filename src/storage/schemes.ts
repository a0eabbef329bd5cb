/**
 * The URL schemes of every adapter, by kind of store and adapter name: the registry (adapters.ts) serves these,
 * and the configuration validates URLs against them. Kept apart from the registry so that validating a setting
 * does not load every client library.
 */
export const adapterSchemes = {
  database: { pglite: ['pglite://'], postgres: ['postgres://', 'postgresql://'] },
  bus: { memory: ['memory:'], kafka: ['kafka://'] },
  rawStore: { database: ['database:'], influxdb: ['influxdb://', 'influxdb2://'] },
  onlineStore: { memory: ['memory:'], redis: ['redis://', 'rediss://'] },
  objectStore: { file: ['file://'], s3: ['s3://'] },
} as const satisfies Record<string, Record<string, readonly string[]>>;

export type StoreKind = keyof typeof adapterSchemes;

/** Every URL prefix some adapter of `kind` serves, in registry order. */
export function schemesOf(kind: StoreKind): string[] {
  return Object.values(adapterSchemes[kind]).flat();
}
