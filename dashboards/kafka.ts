import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { lowerIsBetter, stat, table, timeseries } from './panels.ts';
import { promql, promqlTable, sumRate, upDown } from './queries.ts';
import { labelVariable, mantisDashboard } from './variables.ts';

const RATE = '$__rate_interval';
// Broker metrics come from the JMX exporter agent, consumer-group offsets from kafka-exporter.
const TOPIC = 'topic=~"$topic"';

/** 2. Kafka: messages in and out per topic, consumer lag per group, partition distribution, broker JVM. */
export function kafkaDashboard() {
  return mantisDashboard(
    'mantis-kafka',
    'MANTIS / Kafka',
    'Messages in/out per topic, consumer lag per group, partitions per broker and per topic, broker JVM.',
  )
    .withVariable(
      labelVariable('topic', {
        label: 'Topic',
        series: 'kafka_server_brokertopicmetrics_messagesin_total{topic!=""}',
      }),
    )
    .withVariable(
      labelVariable('group', { label: 'Consumer group', series: 'mantis_bus_consumer_lag_messages' }),
    )
    .withRow(new RowBuilder('Broker health'))
    .withPanel(
      stat('Active controllers', [promql('sum(kafka_controller_activecontrollercount)', 'controllers')], {
        description: 'Exactly one in a healthy cluster.',
        unit: 'none',
        steps: [
          { value: null, color: 'red' },
          { value: 1, color: 'green' },
          { value: 2, color: 'red' },
        ],
      }),
    )
    .withPanel(
      stat(
        'Under-replicated partitions',
        [promql('sum(kafka_server_replicamanager_underreplicatedpartitions)', 'under-replicated')],
        {
          description: 'Partitions with fewer in-sync replicas than replicas.',
          unit: 'none',
          steps: lowerIsBetter(1, 1),
        },
      ),
    )
    .withPanel(
      stat('Offline partitions', [promql('sum(kafka_controller_offlinepartitionscount)', 'offline')], {
        description: 'Partitions without a leader: their producers and consumers are stopped.',
        unit: 'none',
        steps: lowerIsBetter(1, 1),
      }),
    )
    .withPanel(
      stat('Request handler idle', [promql('min(kafka_server_request_handler_avg_idle_ratio)', 'idle')], {
        description:
          'Share of time the request handler threads are idle; below 30 % the broker is saturated.',
        unit: 'percentunit',
        steps: [
          { value: null, color: 'red' },
          { value: 0.3, color: 'orange' },
          { value: 0.5, color: 'green' },
        ],
      }),
    )
    .withPanel(
      stat('Topics', [promql('max(kafka_controller_globaltopiccount)', 'topics')], {
        description: 'Topics in the cluster.',
        unit: 'none',
      }),
    )
    .withPanel(
      stat('Partitions', [promql('max(kafka_controller_globalpartitioncount)', 'partitions')], {
        description: 'Partitions in the cluster.',
        unit: 'none',
      }),
    )
    .withRow(new RowBuilder('Traffic per topic'))
    .withPanel(
      timeseries(
        'Messages in per topic',
        [promql(sumRate('topic', 'kafka_server_brokertopicmetrics_messagesin_total', TOPIC), '{{topic}}')],
        {
          description: 'Messages appended per second, from the brokers.',
          unit: 'short',
          stacked: true,
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Messages out per topic and group',
        [
          promql(
            sumRate('consumergroup, topic', 'kafka_consumergroup_current_offset', TOPIC),
            '{{consumergroup}} {{topic}}',
          ),
        ],
        { description: 'Messages committed per second by each consumer group.', unit: 'short', span: 8 },
      ),
    )
    .withPanel(
      timeseries(
        'Bytes in and out per topic',
        upDown(
          [sumRate('topic', 'kafka_server_brokertopicmetrics_bytesin_total', TOPIC), '{{topic}} in'],
          [sumRate('topic', 'kafka_server_brokertopicmetrics_bytesout_total', TOPIC), '{{topic}} out'],
        ),
        { description: 'Bytes per second produced (up) and fetched (down).', unit: 'Bps', span: 8 },
      ),
    )
    .withRow(new RowBuilder('Consumer lag'))
    .withPanel(
      timeseries(
        'Lag per group, as MANTIS sees it',
        [promql('group:mantis_bus_consumer_lag_messages:max{group=~"$group"}', '{{group}} {{topic}}')],
        {
          description: 'Messages published but not yet committed, reported by the processors themselves.',
          unit: 'short',
        },
      ),
    )
    .withPanel(
      timeseries(
        'Lag per group, from the brokers',
        [
          promql(
            `sum by (consumergroup, topic) (kafka_consumergroup_lag{${TOPIC}})`,
            '{{consumergroup}} {{topic}}',
          ),
        ],
        { description: 'Every consumer group on the cluster, from kafka-exporter.', unit: 'short' },
      ),
    )
    .withRow(new RowBuilder('Partition distribution'))
    .withPanel(
      timeseries(
        'Partitions and leaders per broker',
        [
          promql('kafka_server_replicamanager_partitioncount', '{{instance}} partitions'),
          promql('kafka_server_replicamanager_leadercount', '{{instance}} leaders'),
        ],
        { description: 'An even spread of leaders spreads the load.', unit: 'short', span: 8 },
      ),
    )
    .withPanel(
      timeseries(
        'Messages per partition',
        [promql(sumRate('topic, partition', 'kafka_log_logendoffset', TOPIC), '{{topic}}/{{partition}}')],
        {
          description: 'Appends per second to each partition: a skew means a hot key.',
          unit: 'short',
          span: 8,
        },
      ),
    )
    .withPanel(
      table('Size per partition', [promqlTable(`sum by (topic, partition) (kafka_log_size{${TOPIC}})`)], {
        description: 'Bytes on disk per partition.',
        unit: 'bytes',
        span: 8,
      }),
    )
    .withRow(new RowBuilder('Producers and broker JVM'))
    .withPanel(
      timeseries(
        'MANTIS send latency p99',
        [
          promql(
            `histogram_quantile(0.99, sum by (topic, le) (rate(mantis_bus_send_duration_seconds_bucket[${RATE}])))`,
            '{{topic}}',
          ),
        ],
        { description: 'Time for ingest to hand a batch to the brokers, acknowledged.', unit: 's', span: 8 },
      ),
    )
    .withPanel(
      timeseries(
        'Broker heap',
        [
          promql(
            'sum by (instance) (jvm_memory_used_bytes{area="heap", service="kafka"})',
            '{{instance}} used',
          ),
          promql(
            'sum by (instance) (jvm_memory_max_bytes{area="heap", service="kafka"})',
            '{{instance}} max',
          ),
        ],
        { description: 'JVM heap of each broker (JMX exporter agent).', unit: 'bytes', span: 8 },
      ),
    )
    .withPanel(
      timeseries(
        'Broker GC time',
        [
          promql(
            sumRate('instance, gc', 'jvm_gc_collection_seconds_sum', `service="kafka"`),
            '{{instance}} {{gc}}',
          ),
        ],
        { description: 'Share of time in garbage collection per collector.', unit: 'percentunit', span: 8 },
      ),
    );
}
