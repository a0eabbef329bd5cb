/** The storage ports: what the processor, the api and the jobs depend on; adapters implement them. */
export type { Database, Queryable, Transaction } from './database.ts';
export type { FailureJudge, StoreFailure } from './failures.ts';
export type { FeatureStore, SeriesProgress, WindowBatch, WriteHooks } from './feature-store.ts';
export type { OnlineStore } from './online-store.ts';
export type { RawRows, RawStore, SensorSignal, StoredReading } from './raw-store.ts';
export type { SensorCatalog } from './registry.ts';
