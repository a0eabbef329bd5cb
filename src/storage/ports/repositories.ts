import type { AccessRepository } from './access.ts';
import type { AlertRepository } from './alerts.ts';
import type { AssetRegistry } from './asset-registry.ts';
import type { FailureJudge } from './failures.ts';
import type { FeatureReader } from './feature-reader.ts';
import type { KpiRepository } from './kpis.ts';
import type { PartitionMaintenance } from './partitions.ts';
import type { SensorActivityRepository } from './sensor-activity.ts';
import type { WorkOrderRepository } from './work-orders.ts';

/**
 * Every maintenance repository an engine provides, as the composition root hands them out, and the engine's
 * judgement of its own errors (an outage, a refused value) for the api's error mapping and for logs.
 */
export interface Repositories extends FailureJudge {
  alerts: AlertRepository;
  workOrders: WorkOrderRepository;
  registry: AssetRegistry;
  kpis: KpiRepository;
  access: AccessRepository;
  features: FeatureReader;
  partitions: PartitionMaintenance;
  sensorActivity: SensorActivityRepository;
}
