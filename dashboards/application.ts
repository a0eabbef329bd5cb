import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { jaeger } from './datasources.ts';
import { lowerIsBetter, stat, table, timeseries } from './panels.ts';
import { jaegerSearch, promql, sumRate } from './queries.ts';
import { labelVariable, mantisDashboard, workOrdersOpened } from './variables.ts';

const RATE = '$__rate_interval';
const HTTP = 'service=~"$service", route=~"$route"';
const requests = (filter: string) =>
  sumRate('service, route', 'http_server_request_duration_seconds_count', filter);
const quantile = (q: number) =>
  `histogram_quantile(${q}, sum by (le) (rate(http_server_request_duration_seconds_bucket{${HTTP}}[${RATE}])))`;

/** 4. Application: the golden signals per service and route, and the pipeline from ingest to storage. */
export function applicationDashboard() {
  return mantisDashboard(
    'mantis-application',
    'MANTIS / Application',
    'Request rate, latency percentiles and error ratio per service and route; pipeline throughput and delays.',
  )
    .withVariable(
      labelVariable('service', { label: 'Service', series: 'http_server_request_duration_seconds_count' }),
    )
    .withVariable(
      labelVariable('route', {
        label: 'Route',
        series: 'http_server_request_duration_seconds_count{service=~"$service"}',
      }),
    )
    .annotation(workOrdersOpened())
    .withRow(new RowBuilder('HTTP'))
    .withPanel(
      timeseries('Requests per service and route', [promql(requests(HTTP), '{{service}} {{route}}')], {
        description: 'Traffic: requests per second.',
        unit: 'reqps',
        span: 8,
      }),
    )
    .withPanel(
      timeseries(
        'Latency p50 / p95 / p99',
        [promql(quantile(0.5), 'p50'), promql(quantile(0.95), 'p95'), promql(quantile(0.99), 'p99')],
        {
          description: 'Latency of the selected services and routes (objective: p99 under 1 s).',
          unit: 's',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Error ratio per service and route',
        [
          // 0 rather than nothing when there was no 5xx, so a quiet route reads as healthy, not as missing.
          promql(
            `(${requests(`${HTTP}, status_code=~"5.."`)} or ${requests(HTTP)} * 0) / ${requests(HTTP)}`,
            '{{service}} {{route}}',
          ),
        ],
        {
          description: 'Share of requests answered 5xx (objective: under 1 %).',
          unit: 'percentunit',
          span: 8,
          min: 0,
        },
      ),
    )
    .withPanel(
      timeseries(
        'p99 latency per route',
        [
          promql(
            `histogram_quantile(0.99, sum by (service, route, le) (rate(http_server_request_duration_seconds_bucket{${HTTP}}[${RATE}])))`,
            '{{service}} {{route}}',
          ),
        ],
        { description: 'The slowest routes first in the legend.', unit: 's', span: 12 },
      ),
    )
    .withPanel(
      timeseries(
        'Responses by status',
        [
          promql(
            sumRate('status_code', 'http_server_request_duration_seconds_count', HTTP),
            '{{status_code}}',
          ),
        ],
        {
          description: 'Requests per second by status code: 4xx are clients, 5xx are MANTIS.',
          unit: 'reqps',
          span: 12,
          stacked: true,
        },
      ),
    )
    .withRow(new RowBuilder('Pipeline'))
    .withPanel(
      timeseries(
        'Ingested items',
        [
          promql(
            'sum by (transport, outcome) (transport_outcome:mantis_ingest_items:rate5m)',
            '{{transport}} {{outcome}}',
          ),
        ],
        {
          description: 'Readings accepted and rejected per second, by transport (HTTP, MQTT).',
          unit: 'short',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Processed readings, values and windows',
        [
          promql(sumRate('outcome', 'mantis_pipeline_readings_total'), 'readings {{outcome}}'),
          promql(`sum(rate(mantis_pipeline_samples_total[${RATE}]))`, 'values'),
          promql(`sum(rate(mantis_pipeline_windows_total[${RATE}]))`, 'windows (features)'),
        ],
        {
          description: 'What the processors consume and the feature windows they close, per second.',
          unit: 'short',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Ingest to stored p99',
        [
          promql(
            `histogram_quantile(0.99, sum by (le) (rate(mantis_pipeline_ingest_to_stored_seconds_bucket[${RATE}])))`,
            'p99',
          ),
        ],
        {
          description: 'From a reading accepted at ingest to its raw value durably stored.',
          unit: 's',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Rejected items by field',
        [promql(sumRate('transport, field', 'mantis_ingest_rejections_total'), '{{transport}} {{field}}')],
        {
          description: 'Which field failed validation; dead letters keep the items.',
          unit: 'short',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Refused requests and authentication failures',
        [
          promql(sumRate('reason', 'mantis_ingest_requests_refused_total'), 'refused {{reason}}'),
          promql(sumRate('reason', 'mantis_auth_failures_total'), 'auth {{reason}}'),
        ],
        { description: 'Whole requests refused, and credentials refused.', unit: 'reqps', span: 8 },
      ),
    )
    .withPanel(
      stat('Open windows', [promql('sum(mantis_pipeline_open_windows)', 'open windows')], {
        description: 'Windows the processors hold in memory: saturation of the processing tier.',
        unit: 'short',
        span: 8,
        height: 8,
        steps: lowerIsBetter(50_000, 200_000),
      }),
    )
    .withRow(new RowBuilder('Batch jobs (etl target)'))
    .withPanel(
      timeseries(
        'Job runs by outcome',
        [
          promql(
            'sum by (etl_job, outcome) (increase(mantis_job_runs_total[1h]))',
            '{{etl_job}} {{outcome}}',
          ),
        ],
        {
          description: 'Runs per hour; skipped means the previous run was still going.',
          unit: 'short',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Job duration p99',
        [
          promql(
            `histogram_quantile(0.99, sum by (etl_job, le) (rate(mantis_job_duration_seconds_bucket[${RATE}])))`,
            '{{etl_job}}',
          ),
        ],
        {
          description: 'How long one run takes; a growing retention run means more to drop.',
          unit: 's',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Since the last success',
        [
          promql(
            'time() - max by (etl_job) (mantis_job_last_run_timestamp_seconds{outcome="success"})',
            '{{etl_job}}',
          ),
        ],
        { description: 'Alert BatchJobNotSucceeding after three hours.', unit: 's', span: 8 },
      ),
    )
    .withPanel(
      timeseries(
        'Data quality issues (last audited range)',
        [
          promql('sum(max by (asset) (mantis_data_quality_gaps))', 'gaps'),
          promql('sum(max by (asset) (mantis_data_quality_flat_lines))', 'flat lines'),
          promql(
            'sum(max by (asset, bound) (mantis_data_quality_out_of_range_readings))',
            'out of range or at a limit',
          ),
          promql('sum(max by (asset) (mantis_data_quality_late_readings))', 'late readings'),
          promql(
            'sum(max by (asset) (mantis_data_quality_clock_skew_seconds) > bool 60)',
            'assets with clock skew > 60 s',
          ),
        ],
        {
          description:
            'Set by the etl target’s hourly data-quality job (etl.schedules.dataQuality, the last hour) and by `mantis etl data-quality --metrics-file` through node_exporter’s textfile collector; per asset in the metrics (the largest of the etl instances), summed here. The per-sensor report is the command’s --json output (docs/operations.md).',
          unit: 'short',
          span: 16,
        },
      ),
    )
    .withPanel(
      table(
        'Sensors with data quality issues, per asset',
        [promql('topk(20, max by (asset) (mantis_data_quality_sensors_with_issues))', '{{asset}}')],
        { description: 'Sensors with at least one issue, per asset, over the last audited range.', span: 8 },
      ),
    )
    .withRow(new RowBuilder('Traces'))
    .withPanel(
      table('Latest ingest traces', [jaegerSearch('mantis-ingest', 'POST /v1/readings')], {
        description: 'Each trace follows a request from ingest through Kafka to the processor and storage.',
        datasource: jaeger,
        span: 24,
      }),
    );
}
