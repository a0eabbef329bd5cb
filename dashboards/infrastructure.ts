import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { stat, timeseries } from './panels.ts';
import { promql, sumRate, upDown } from './queries.ts';
import { labelVariable, mantisDashboard } from './variables.ts';

const RATE = '$__rate_interval';
const CONTAINER = 'name!=""';
const NIC = 'device!~"lo|veth.*|docker.*|br-.*"';

/** 1. Infrastructure: every service up or down, the host (node-exporter) and each container (cAdvisor). */
export function infrastructureDashboard() {
  return mantisDashboard(
    'mantis-infrastructure',
    'MANTIS / Infrastructure',
    'Service up/down, host and per-container CPU, memory, disk and network.',
  )
    .withVariable(labelVariable('service', { label: 'Service', series: 'up' }))
    .withRow(new RowBuilder('Services'))
    .withPanel(
      stat('Services down', [promql('count(up{service=~"$service"} == 0) or vector(0)', 'down')], {
        description: 'Scrape targets Prometheus cannot reach (alert TargetDown after 2 minutes).',
        unit: 'none',
        steps: [
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ],
      }),
    )
    .withPanel(
      timeseries(
        'Up, per service and instance',
        [promql('up{service=~"$service"}', '{{service}} {{instance}}')],
        {
          description: '1 while Prometheus scrapes the target, 0 when it cannot.',
          unit: 'bool_yes_no',
          span: 20,
          height: 5,
          min: 0,
          max: 1,
        },
      ),
    )
    .withRow(new RowBuilder('Host'))
    .withPanel(
      timeseries(
        'CPU busy',
        [
          promql(
            `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[${RATE}]))`,
            '{{instance}}',
          ),
        ],
        {
          description: 'Share of CPU time not idle, all cores.',
          unit: 'percentunit',
          span: 6,
          min: 0,
          max: 1,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Memory used',
        [promql('1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', '{{instance}}')],
        {
          description: 'Share of memory not available to new work.',
          unit: 'percentunit',
          span: 6,
          min: 0,
          max: 1,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Disk used',
        [
          promql(
            '1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes',
            '{{instance}} {{mountpoint}}',
          ),
        ],
        {
          description: 'Share of each filesystem used (alerts DiskFillingUp and DiskAlmostFull).',
          unit: 'percentunit',
          span: 6,
          min: 0,
          max: 1,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Network',
        upDown(
          [sumRate('instance', 'node_network_receive_bytes_total', NIC), '{{instance}} in'],
          [sumRate('instance', 'node_network_transmit_bytes_total', NIC), '{{instance}} out'],
        ),
        { description: 'Bytes per second received (up) and sent (down).', unit: 'Bps', span: 6 },
      ),
    )
    .withRow(new RowBuilder('Containers'))
    .withPanel(
      timeseries(
        'CPU per container',
        [promql(sumRate('name', 'container_cpu_usage_seconds_total', CONTAINER), '{{name}}')],
        { description: 'Cores used by each container.', unit: 'none', stacked: true },
      ),
    )
    .withPanel(
      timeseries(
        'Memory per container',
        [
          promql(`sum by (name) (container_memory_working_set_bytes{${CONTAINER}})`, '{{name}}'),
          promql(`sum by (name) (container_spec_memory_limit_bytes{${CONTAINER}} > 0)`, '{{name}} limit'),
        ],
        { description: 'Working set (what the OOM killer counts) against the limit.', unit: 'bytes' },
      ),
    )
    .withPanel(
      timeseries(
        'Disk I/O per container',
        upDown(
          [sumRate('name', 'container_fs_reads_bytes_total', CONTAINER), '{{name}} read'],
          [sumRate('name', 'container_fs_writes_bytes_total', CONTAINER), '{{name}} write'],
        ),
        { description: 'Bytes per second read (up) and written (down).', unit: 'Bps' },
      ),
    )
    .withPanel(
      timeseries(
        'Network per container',
        upDown(
          [sumRate('name', 'container_network_receive_bytes_total', CONTAINER), '{{name}} in'],
          [sumRate('name', 'container_network_transmit_bytes_total', CONTAINER), '{{name}} out'],
        ),
        { description: 'Bytes per second received (up) and sent (down).', unit: 'Bps' },
      ),
    )
    .withRow(new RowBuilder('MANTIS processes'))
    .withPanel(
      timeseries(
        'CPU per MANTIS process',
        [
          promql(
            `rate(mantis_process_cpu_seconds_total{service=~"$service"}[${RATE}])`,
            '{{service}} {{instance}}',
          ),
        ],
        { description: 'Cores used by each MANTIS process.', unit: 'none', span: 8 },
      ),
    )
    .withPanel(
      timeseries(
        'Memory per MANTIS process',
        [
          promql('mantis_process_resident_memory_bytes{service=~"$service"}', '{{service}} {{instance}} rss'),
          promql('mantis_nodejs_heap_size_used_bytes{service=~"$service"}', '{{service}} {{instance}} heap'),
        ],
        { description: 'Resident memory and the JavaScript heap in use.', unit: 'bytes', span: 8 },
      ),
    )
    .withPanel(
      timeseries(
        'Event loop lag p99',
        [promql('mantis_nodejs_eventloop_lag_p99_seconds{service=~"$service"}', '{{service}} {{instance}}')],
        { description: 'A busy or blocked event loop delays every request and message.', unit: 's', span: 8 },
      ),
    );
}
