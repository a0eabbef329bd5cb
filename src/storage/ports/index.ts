/** The storage ports: what the processor, the api and the jobs depend on; adapters implement them. */
export type {
  AccessRepository,
  ApiKeyView,
  AuditEntry,
  AuditView,
  NewKey,
  StoredKey,
} from './access.ts';
export type { AlertRepository, AlertResponse } from './alerts.ts';
export type {
  AssetCursor,
  AssetPage,
  AssetPatch,
  AssetPlacement,
  AssetQuery,
  AssetRegistry,
  AssetSort,
  Lifecycle,
  Place,
  PlaceKind,
} from './asset-registry.ts';
export type { Database, Queryable, Transaction } from './database.ts';
export type { FailureJudge, StoreFailure } from './failures.ts';
export type { FeatureQuery, FeatureReader, Resolution, RollupPoint } from './feature-reader.ts';
export type { FeatureStore, SeriesProgress, WindowBatch, WriteHooks } from './feature-store.ts';
export type { JobLock, JobRunLog, JobRunOutcome, JobTrigger, NewJobRun } from './job-runs.ts';
export type {
  Count,
  Downtime,
  KpiAsset,
  KpiInputQuery,
  KpiRepository,
  KpiScope,
  NewDowntime,
} from './kpis.ts';
export type { OnlineStore } from './online-store.ts';
export type { ListQuery, Page, PageCursor } from './paging.ts';
export type { PartitionMaintenance, RetentionPlan } from './partitions.ts';
export type { RawRows, RawStore, SensorSignal, StoredReading } from './raw-store.ts';
export type { SensorCatalog } from './registry.ts';
export type { Repositories } from './repositories.ts';
export type { SensorActivity, SensorActivityRepository } from './sensor-activity.ts';
export type {
  NewWorkOrder,
  WorkOrderChange,
  WorkOrderEvent,
  WorkOrderListQuery,
  WorkOrderRepository,
  WorkOrderWithHistory,
} from './work-orders.ts';
