import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Batch writes in progress, each by when it started: mantis_pipeline_write_pending_seconds reads the oldest
 * at every scrape, so the gauge grows while a write hangs (on a lock, through retries), not only when it ends.
 */
export class PendingWrites {
  private readonly starts = new Set<{ at: number }>();

  /** Notes a write starting at `now` (epoch ms); the function returned notes its end. */
  begin(now = Date.now()): () => void {
    const entry = { at: now };
    this.starts.add(entry);
    return () => {
      this.starts.delete(entry);
    };
  }

  /** Age of the oldest write in progress at `now` (epoch ms), in seconds; 0 when none. */
  oldestAgeSeconds(now = Date.now()): number {
    let oldest = now;
    for (const { at } of this.starts) oldest = Math.min(oldest, at);
    return (now - oldest) / 1000;
  }
}

/** prom-client default gauges named like counters; their per-type gauges hold the same counts. */
const NODEJS_TOTAL_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * Every metric MANTIS exports, named in this one file (prometheus.io naming: mantis_ prefix, base units,
 * _total for counters). Labels are bounded: never a reading id, timestamp or free text.
 * One registry per running instance, so several instances can share a process (tests, benchmarks).
 */
export function createMetrics() {
  const registry = new Registry();
  // prom-client's process_* and nodejs_* metrics, as mantis_process_cpu_seconds_total, mantis_nodejs_…
  collectDefaultMetrics({ register: registry, prefix: 'mantis_' });
  // prom-client 15 also adds unlabelled gauges ending in _total, a suffix that names a counter (promtool check
  // metrics refuses them), and has no option to leave them out. Each is the sum of the gauge of the same name
  // without _total, by type (sum(mantis_nodejs_active_handles)), so dropping them loses nothing.
  for (const name of NODEJS_TOTAL_GAUGES) registry.removeSingleMetric(`mantis_${name}`);
  const registers = [registry];
  const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const pendingWrites = new PendingWrites();

  const metrics = {
    registry,
    /** The processor's writes in progress, read by pipelineWritePending. */
    pendingWrites,
    buildInfo: new Gauge({
      name: 'mantis_build_info',
      help: 'Always 1; the running version and target, for deployment annotations and joins.',
      labelNames: ['version', 'target'] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP server request duration, by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    authFailures: new Counter({
      name: 'mantis_auth_failures_total',
      help: 'Requests refused at authentication, by reason (invalid credentials or rate limited).',
      labelNames: ['reason'] as const,
      registers,
    }),
    auditFailures: new Counter({
      name: 'mantis_audit_write_failures_total',
      help: 'Writes whose audit record could not be stored.',
      registers,
    }),
    mqttConnected: new Gauge({
      name: 'mantis_mqtt_connected',
      help: '1 while ingest is connected to its MQTT broker.',
      registers,
    }),
    mqttReconnects: new Counter({
      name: 'mantis_mqtt_reconnects_total',
      help: 'Reconnection attempts to the MQTT broker.',
      registers,
    }),
    mqttRejectionNotices: new Counter({
      name: 'mantis_mqtt_rejection_notices_total',
      help:
        'Rejection notices for MQTT messages and readings, by outcome: published (the broker acknowledged), ' +
        'rate_limited (over the per-topic budget, not sent), failed (the broker refused or the client stopped).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    mqttMessagesIgnored: new Counter({
      name: 'mantis_mqtt_messages_ignored_total',
      help: 'MQTT messages that carry no reading by protocol, by reason (empty_retained: a retained-message clear).',
      labelNames: ['reason'] as const,
      registers,
    }),
    ingestItems: new Counter({
      name: 'mantis_ingest_items_total',
      help: 'Items received for ingestion, by transport and outcome (accepted, rejected).',
      labelNames: ['transport', 'outcome'] as const,
      registers,
    }),
    ingestRejections: new Counter({
      name: 'mantis_ingest_rejections_total',
      help: 'Rejected items by transport and the field that failed validation.',
      labelNames: ['transport', 'field'] as const,
      registers,
    }),
    ingestRequestsRefused: new Counter({
      name: 'mantis_ingest_requests_refused_total',
      help: 'Whole ingest requests refused, by reason (unauthorized, too_large, bad_body, bus_unavailable; mqtt: failed).',
      labelNames: ['transport', 'reason'] as const,
      registers,
    }),
    busSendDuration: new Histogram({
      name: 'mantis_bus_send_duration_seconds',
      help: 'Time to hand a batch of messages to the bus, by topic.',
      labelNames: ['topic'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    busConsumerLag: new Gauge({
      name: 'mantis_bus_consumer_lag_messages',
      help: 'Messages published but not yet committed, by topic and consumer group.',
      labelNames: ['topic', 'group'] as const,
      registers,
    }),
    pipelineReadings: new Counter({
      name: 'mantis_pipeline_readings_total',
      help: 'Readings consumed by the processor, by outcome (windowed, duplicate: already in its window, late).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    pipelineSamples: new Counter({
      name: 'mantis_pipeline_samples_total',
      help: 'Values consumed by the processor, duplicates apart: one per scalar reading, one per sample of a block.',
      registers,
    }),
    pipelineWindows: new Counter({
      name: 'mantis_pipeline_windows_total',
      help: 'Windows closed and stored with their features.',
      registers,
    }),
    pipelineOpenWindows: new Gauge({
      name: 'mantis_pipeline_open_windows',
      help: 'Windows currently open in the processor.',
      registers,
    }),
    pipelineBadMessages: new Counter({
      name: 'mantis_pipeline_bad_messages_total',
      help: 'Bus messages the processor could not decode (sent to the dead-letter topic).',
      registers,
    }),
    pipelineDeadLettered: new Counter({
      name: 'mantis_pipeline_dead_lettered_total',
      help:
        'Items the processor sent to the dead-letter topic, by reason: undecodable (not a reading envelope), or ' +
        'the SQLSTATE class of data the store refused (data_exception, integrity_constraint_violation, ' +
        'program_limit_exceeded, other).',
      labelNames: ['reason'] as const,
      registers,
    }),
    pipelineWriteRetries: new Counter({
      name: 'mantis_pipeline_write_retries_total',
      help:
        'Failed attempts of processor writes that were retried, by class: transient (an outage), store ' +
        '(refuses every write until an operator acts), record (refused data, retried before it is isolated).',
      labelNames: ['class'] as const,
      registers,
    }),
    pipelineWritePending: new Gauge({
      name: 'mantis_pipeline_write_pending_seconds',
      help:
        "Age of the processor's oldest batch write in progress (retried, or held by a lock), 0 when none; " +
        'read at each scrape.',
      registers,
      collect() {
        this.set(pendingWrites.oldestAgeSeconds());
      },
    }),
    ingestToStored: new Histogram({
      name: 'mantis_pipeline_ingest_to_stored_seconds',
      help: 'Time from a reading being accepted at ingest to its raw value being durably stored.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    storageWriteDuration: new Histogram({
      name: 'mantis_storage_write_duration_seconds',
      help: 'Duration of one batched write transaction, by store.',
      labelNames: ['store'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    storageRowsWritten: new Counter({
      name: 'mantis_storage_rows_written_total',
      help: 'Rows in committed write transactions, by kind: raw readings, sample blocks, windows.',
      labelNames: ['kind'] as const,
      registers,
    }),
    rawStoreBufferedPoints: new Gauge({
      name: 'mantis_raw_store_buffered_points',
      help: 'Points the InfluxDB raw store holds, queued or in flight, not yet acknowledged.',
      registers,
    }),
    rawStoreBufferFull: new Counter({
      name: 'mantis_raw_store_buffer_full_total',
      help: 'Times the InfluxDB raw store buffer was full and writes had to wait for it to drain.',
      registers,
    }),
    rawStorePointsWritten: new Counter({
      name: 'mantis_raw_store_points_written_total',
      help: 'Points InfluxDB acknowledged.',
      registers,
    }),
    rawStorePointsRejected: new Counter({
      name: 'mantis_raw_store_points_rejected_total',
      help: 'Points InfluxDB dropped from a write, by reason (retention: older than the policy; refused).',
      labelNames: ['reason'] as const,
      registers,
    }),
    rawStoreRetries: new Counter({
      name: 'mantis_raw_store_write_retries_total',
      help: 'InfluxDB write requests tried again after a transient failure, by its code (HTTP_503, ECONNREFUSED…).',
      labelNames: ['code'] as const,
      registers,
    }),
    alertsRaised: new Counter({
      name: 'mantis_alerts_raised_total',
      help: 'Alerts raised by health scoring, by severity.',
      labelNames: ['severity'] as const,
      registers,
    }),
    modelInfo: new Gauge({
      name: 'mantis_model_info',
      help: 'The learned health model served for an asset type (1), by registered name and version; absent: baseline scoring.',
      labelNames: ['asset_type', 'model', 'version'] as const,
      registers,
    }),
    modelPollFailures: new Counter({
      name: 'mantis_model_poll_failures_total',
      help: 'Polls of the champion models that failed (tracking unreachable, a model that cannot be read); the served models stay.',
      registers,
    }),
    workOrdersOpened: new Counter({
      name: 'mantis_work_orders_opened_total',
      help: 'Work orders opened automatically from alerts.',
      registers,
    }),
    onlineStoreReads: new Counter({
      name: 'mantis_online_store_reads_total',
      help: 'Reads of latest features from the online store: hit; miss (nothing stored) or error (down or slow), both read from the database instead.',
      labelNames: ['result'] as const,
      registers,
    }),
    onlineStoreWrites: new Counter({
      name: 'mantis_online_store_writes_total',
      help: 'Batches of latest features written to the online store: ok, or error (skipped; the database has them).',
      labelNames: ['result'] as const,
      registers,
    }),
    workOrdersOpen: new Gauge({
      name: 'mantis_work_orders_open',
      help: 'Work orders not done or cancelled, by priority.',
      labelNames: ['priority'] as const,
      registers,
    }),
    kpiMtbf: new Gauge({
      name: 'mantis_kpi_mtbf_seconds',
      help: 'MTBF per site over the last 24 hours (absent when no failure).',
      labelNames: ['site'] as const,
      registers,
    }),
    kpiMttr: new Gauge({
      name: 'mantis_kpi_mttr_seconds',
      help: 'MTTR per site over the last 24 hours (absent when no repair finished).',
      labelNames: ['site'] as const,
      registers,
    }),
    kpiRatio: new Gauge({
      name: 'mantis_kpi_ratio',
      help: 'OEE and its factors (ISO 22400-2) per site over the last 24 hours.',
      labelNames: ['site', 'kpi'] as const,
      registers,
    }),
    assetHealth: new Gauge({
      name: 'mantis_asset_health_ratio',
      help: 'Health of each asset, 0 (failing) to 1 (as its baseline).',
      labelNames: ['asset'] as const,
      registers,
    }),
    jobLastRun: new Gauge({
      name: 'mantis_job_last_run_timestamp_seconds',
      help: 'When each batch job last finished, by outcome (success, failure).',
      labelNames: ['etl_job', 'outcome'] as const,
      registers,
    }),
    jobRunsTotal: new Counter({
      name: 'mantis_job_runs_total',
      help: 'Batch job runs, by job and outcome (success, failure, skipped when a run of the job was still going, here or on another etl instance, or another instance ran that scheduled time).',
      labelNames: ['etl_job', 'outcome'] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'mantis_job_duration_seconds',
      help: 'Duration of each batch job run.',
      labelNames: ['etl_job'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900],
      registers,
    }),
    jobMissedRuns: new Counter({
      name: 'mantis_job_missed_runs_total',
      help: 'Scheduled batch job runs that never ran (no etl instance was running, or it was suspended), found at start or after a pause.',
      labelNames: ['etl_job'] as const,
      registers,
    }),
    jobNextRun: new Gauge({
      name: 'mantis_job_next_run_timestamp_seconds',
      help: 'When each scheduled batch job runs next (its next cron time).',
      labelNames: ['etl_job'] as const,
      registers,
    }),
    jobRows: new Counter({
      name: 'mantis_job_rows_total',
      help: 'Rows handled by batch jobs, by job and outcome (import: stored, unchanged, refused; exports: exported).',
      labelNames: ['etl_job', 'outcome'] as const,
      registers,
    }),
    backupSize: new Gauge({
      name: 'mantis_backup_size_bytes',
      help: 'Size of the last successful backup (etl backup), by part (postgres: the pg_dump archive, influxdb: the portable backup).',
      labelNames: ['part'] as const,
      registers,
    }),
    backupLastSuccess: new Gauge({
      name: 'mantis_backup_last_success_timestamp_seconds',
      help: 'When the newest complete backup in the object store was taken, by backup folder (read from the store by the etl target at start and after each backup, so it survives restarts; absent until one exists).',
      labelNames: ['prefix'] as const,
      registers,
    }),
    sensorsStale: new Gauge({
      name: 'mantis_sensors_stale',
      help: 'Sensors not retired, on assets not retired, that have sent no reading for longer than pipeline.sensorStaleSeconds (since their registration when they have sent none), by site; 0 for a site with none.',
      labelNames: ['site'] as const,
      registers,
    }),
    assetInfo: new Gauge({
      name: 'mantis_asset_info',
      help: 'Always 1 for each active asset, with its site and line: joins per-asset series to sites.',
      labelNames: ['site', 'line', 'asset'] as const,
      registers,
    }),
    // Data quality: per asset, not per sensor, to keep the series count to the fleet's size; the per-sensor
    // detail is in the job's JSON report.
    dataQualityGaps: new Gauge({
      name: 'mantis_data_quality_gaps',
      help: "Gaps (silences longer than the threshold) in each asset's sensors over the last data-quality range.",
      labelNames: ['asset'] as const,
      registers,
    }),
    dataQualityFlatLines: new Gauge({
      name: 'mantis_data_quality_flat_lines',
      help: "Flat lines (runs of an identical value) in each asset's sensors over the last data-quality range.",
      labelNames: ['asset'] as const,
      registers,
    }),
    dataQualityOutOfRange: new Gauge({
      name: 'mantis_data_quality_out_of_range_readings',
      help: "Stored readings of each asset's sensors below or above their valid range, or at a limit, over the last data-quality range.",
      labelNames: ['asset', 'bound'] as const,
      registers,
    }),
    dataQualityLate: new Gauge({
      name: 'mantis_data_quality_late_readings',
      help: "Readings of each asset's sensors stored after their window had closed, over the last data-quality range.",
      labelNames: ['asset'] as const,
      registers,
    }),
    dataQualityClockSkew: new Gauge({
      name: 'mantis_data_quality_clock_skew_seconds',
      help: "Largest clock lag or lead estimated among each asset's sensors over the last data-quality range.",
      labelNames: ['asset'] as const,
      registers,
    }),
    dataQualitySensorsWithIssues: new Gauge({
      name: 'mantis_data_quality_sensors_with_issues',
      help: 'Sensors of each asset with at least one data-quality issue over the last data-quality range.',
      labelNames: ['asset'] as const,
      registers,
    }),
    dataQualityRangeEnd: new Gauge({
      name: 'mantis_data_quality_range_end_timestamp_seconds',
      help: 'End of the range the last data-quality run audited.',
      registers,
    }),
  };
  // Known label values start at 0, so rates and increases read 0 (not "no data") before the first event.
  for (const severity of ['warning', 'critical']) metrics.alertsRaised.inc({ severity }, 0);
  for (const reason of ['invalid', 'rate_limited']) metrics.authFailures.inc({ reason }, 0);
  for (const result of ['hit', 'miss', 'error']) metrics.onlineStoreReads.inc({ result }, 0);
  for (const result of ['ok', 'error']) metrics.onlineStoreWrites.inc({ result }, 0);
  for (const outcome of ['published', 'rate_limited', 'failed'])
    metrics.mqttRejectionNotices.inc({ outcome }, 0);
  for (const kind of ['transient', 'store', 'record']) metrics.pipelineWriteRetries.inc({ class: kind }, 0);
  for (const reason of [
    'undecodable',
    'data_exception',
    'integrity_constraint_violation',
    'program_limit_exceeded',
    'other',
  ])
    metrics.pipelineDeadLettered.inc({ reason }, 0);
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Sum of a counter's values over all label sets. */
export async function counterTotal(
  counter: Counter<string>,
  labels?: Record<string, string>,
): Promise<number> {
  const { values } = await counter.get();
  return values
    .filter((v) => !labels || Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}
