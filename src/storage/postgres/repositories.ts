import type { Database } from '../ports/database.ts';
import type { Repositories } from '../ports/repositories.ts';
import {
  createApiKey,
  findApiKey,
  listApiKeys,
  listAudit,
  recordAudit,
  revokeApiKey,
  touchApiKey,
} from './access.ts';
import { actOnAlert } from './alert-actions.ts';
import { listAssets, SNAPSHOT_TTL } from './asset-list.ts';
import { createPlace, getPlace, listPlaces, renamePlace, retirePlace } from './catalog.ts';
import { classifyDatabaseError } from './errors.ts';
import {
  activeAssetPlacements,
  activeSiteIds,
  latestSeverities,
  openWorkOrderCounts,
} from './fleet-summary.ts';
import {
  createDowntime,
  getDowntime,
  listCounts,
  listDowntime,
  recordCounts,
  updateDowntime,
} from './kpi-inputs.ts';
import { rollupDays } from './kpi-rollup.ts';
import { dailyKpiTotals, kpiTotals, scopeAssets } from './kpis.ts';
import { listAlerts } from './maintenance.ts';
import { maintainPartitions } from './partitions.ts';
import {
  assetMachines,
  assetTypes,
  getAsset,
  getSensor,
  listSensors,
  retireAsset,
  retireSensor,
  sensorOwners,
  updateAsset,
  upsertAsset,
} from './registry.ts';
import { retentionPlan } from './retention-plan.ts';
import { postgresSensorActivity } from './sensor-activity.ts';
import { exportFeatures, latestFeatures, queryFeatures, queryRollups } from './timeseries.ts';
import {
  closedFindings,
  createWorkOrder,
  getWorkOrder,
  listWorkOrders,
  transitionWorkOrder,
} from './work-orders.ts';

/**
 * The maintenance repositories on PostgreSQL (or PGlite): each port method is one of this folder's SQL
 * functions; writes that span several statements run in one transaction, so each call is all or nothing.
 */
export function postgresRepositories(db: Database): Repositories {
  return {
    classify: classifyDatabaseError,
    alerts: {
      list: (q) => listAlerts(db, q),
      respond: (id, response, actor, at) => actOnAlert(db, id, response, actor, at),
    },
    workOrders: {
      list: (q) => listWorkOrders(db, q),
      get: (id) => getWorkOrder(db, id),
      create: (order) => createWorkOrder(db, order),
      transition: (id, change) => transitionWorkOrder(db, id, change),
      openCountsByPriority: () => openWorkOrderCounts(db),
      closedFindings: (from, to) => closedFindings(db, from, to),
    },
    registry: {
      createPlace: (kind, place) => createPlace(db, kind, place),
      getPlace: (kind, id) => getPlace(db, kind, id),
      listPlaces: (kind, q) => listPlaces(db, kind, q),
      renamePlace: (kind, id, name, ifMatch) => renamePlace(db, kind, id, name, ifMatch),
      retirePlace: (kind, id, ifMatch) => retirePlace(db, kind, id, ifMatch),
      listAssets: (q) => listAssets(db, q),
      assetSnapshotTtl: SNAPSHOT_TTL,
      getAsset: (id) => getAsset(db, id),
      registerAsset: (asset, ifMatch) => db.transaction((tx) => upsertAsset(tx, asset, ifMatch)),
      // One transaction: stored KPI days are forgotten and the ideal cycle time changed under one lock.
      updateAsset: (id, patch, ifMatch) => db.transaction((tx) => updateAsset(tx, id, patch, ifMatch)),
      retireAsset: (id, ifMatch) => db.transaction((tx) => retireAsset(tx, id, ifMatch)),
      getSensor: (id) => getSensor(db, id),
      retireSensor: (id) => retireSensor(db, id),
      sensors: () => listSensors(db),
      machines: () => assetMachines(db),
      assetTypes: () => assetTypes(db),
      sensorOwners: () => sensorOwners(db),
      activeAssetPlacements: () => activeAssetPlacements(db),
      activeSiteIds: () => activeSiteIds(db),
    },
    kpis: {
      scopeAssets: (scope, id) => scopeAssets(db, scope, id),
      totals: (assets, range, now) => kpiTotals(db, assets, range, now),
      dailyTotals: (assets, range, now) => dailyKpiTotals(db, assets, range, now),
      rollupDays: (from, to, now, options) => rollupDays(db, from, to, now, options),
      createDowntime: (event) => db.transaction((tx) => createDowntime(tx, event)),
      getDowntime: (id) => getDowntime(db, id),
      updateDowntime: (id, patch, ifMatch) => db.transaction((tx) => updateDowntime(tx, id, patch, ifMatch)),
      listDowntime: (q) => listDowntime(db, q),
      recordCounts: (counts, actor) => db.transaction((tx) => recordCounts(tx, counts, actor)),
      listCounts: (q) => listCounts(db, q),
    },
    access: {
      createKey: (key) => createApiKey(db, key),
      listKeys: (includeRevoked) => listApiKeys(db, includeRevoked),
      revokeKey: (id, by) => revokeApiKey(db, id, by),
      findKey: (id) => findApiKey(db, id),
      touchKey: (id) => touchApiKey(db, id),
      recordAudit: (entry) => recordAudit(db, entry),
      listAudit: (q) => listAudit(db, q),
    },
    features: {
      queryFeatures: (q) => queryFeatures(db, q),
      queryRollups: (q) => queryRollups(db, q),
      exportFeatures: (from, to, limit) => exportFeatures(db, from, to, limit),
      latestFeatures: (assetId) => latestFeatures(db, assetId),
      latestSeverities: (assetIds) => latestSeverities(db, assetIds),
    },
    partitions: {
      maintain: (now) => maintainPartitions(db, now),
      plan: (now) => retentionPlan(db, now),
    },
    sensorActivity: postgresSensorActivity(db),
  };
}
