import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { timescaledb } from './datasources.ts';
import { higherIsBetter, stat, table, timeseries } from './panels.ts';
import { promql, sql, sumRate } from './queries.ts';
import { labelVariable, mantisDashboard } from './variables.ts';

const RATE = '$__rate_interval';
const DB = 'datname=~"$datname"';
const redisHitRatio = (range: string) =>
  `sum(rate(redis_keyspace_hits_total[${range}])) / ` +
  `(sum(rate(redis_keyspace_hits_total[${range}])) + sum(rate(redis_keyspace_misses_total[${range}])))`;

/** 3. Databases: PostgreSQL/TimescaleDB (postgres-exporter), Redis (redis-exporter), MANTIS's own writes. */
export function databasesDashboard() {
  return mantisDashboard(
    'mantis-databases',
    'MANTIS / Databases',
    'PostgreSQL connections, transactions, row traffic and cache hit ratio; Redis hit ratio and memory; MANTIS write latency.',
  )
    .withVariable(labelVariable('datname', { label: 'Database', series: 'pg_stat_database_numbackends' }))
    .withRow(new RowBuilder('PostgreSQL'))
    .withPanel(
      timeseries(
        'Connections',
        [
          promql(`sum by (datname) (pg_stat_database_numbackends{${DB}})`, '{{datname}}'),
          promql('max(pg_settings_max_connections)', 'max_connections'),
        ],
        {
          description: 'Backends per database against the server limit (alert above 80 %).',
          unit: 'short',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries(
        'Commits and rollbacks',
        [
          promql(sumRate('datname', 'pg_stat_database_xact_commit', DB), '{{datname}} commits'),
          promql(sumRate('datname', 'pg_stat_database_xact_rollback', DB), '{{datname}} rollbacks'),
        ],
        { description: 'Transactions per second.', unit: 'ops', span: 8 },
      ),
    )
    .withPanel(
      timeseries('Cache hit ratio', [promql(`datname:pg_cache_hit:ratio_rate5m{${DB}}`, '{{datname}}')], {
        description: 'Blocks found in shared buffers; below 95 % the working set outgrows memory.',
        unit: 'percentunit',
        span: 8,
        max: 1,
      }),
    )
    .withPanel(
      timeseries(
        'Rows read and written',
        [
          promql(sumRate('datname', 'pg_stat_database_tup_fetched', DB), '{{datname}} fetched'),
          promql(sumRate('datname', 'pg_stat_database_tup_inserted', DB), '{{datname}} inserted'),
          promql(sumRate('datname', 'pg_stat_database_tup_updated', DB), '{{datname}} updated'),
          promql(sumRate('datname', 'pg_stat_database_tup_deleted', DB), '{{datname}} deleted'),
        ],
        { description: 'Query traffic in rows per second.', unit: 'rowsps', span: 8 },
      ),
    )
    .withPanel(
      timeseries(
        'Deadlocks and temporary files',
        [
          promql(
            `sum by (datname) (increase(pg_stat_database_deadlocks{${DB}}[${RATE}]))`,
            '{{datname}} deadlocks',
          ),
          promql(
            `sum by (datname) (increase(pg_stat_database_temp_files{${DB}}[${RATE}]))`,
            '{{datname}} temp files',
          ),
        ],
        {
          description: 'Both should stay at zero: locks taken in different orders, sorts spilling to disk.',
          unit: 'short',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeseries('Database size', [promql(`pg_database_size_bytes{${DB}}`, '{{datname}}')], {
        description: 'Bytes on disk per database.',
        unit: 'bytes',
        span: 8,
      }),
    )
    .withPanel(
      table(
        'Largest tables',
        [
          sql(`SELECT relname AS "table", pg_total_relation_size(relid) AS "bytes", n_live_tup AS "rows",
  n_dead_tup AS "dead rows", last_autovacuum AS "last autovacuum"
FROM pg_stat_user_tables
ORDER BY pg_total_relation_size(relid) DESC
LIMIT 15`),
        ],
        {
          description: 'The MANTIS tables (hypertable chunks included) by size, with their vacuum state.',
          datasource: timescaledb,
          span: 24,
        },
      ),
    )
    .withRow(new RowBuilder('Redis'))
    .withPanel(
      stat('Redis hit ratio', [promql(redisHitRatio('5m'), 'hit ratio')], {
        description: 'Keyspace reads that found their key.',
        unit: 'percentunit',
        steps: higherIsBetter(0.5, 0.8),
      }),
    )
    .withPanel(
      timeseries(
        'Redis memory',
        [
          promql('redis_memory_used_bytes', '{{instance}} used'),
          promql('redis_memory_max_bytes > 0', '{{instance}} maxmemory'),
        ],
        { description: 'Used memory against maxmemory (alert above 90 %).', unit: 'bytes', span: 7 },
      ),
    )
    .withPanel(
      timeseries(
        'Redis commands, evictions and clients',
        [
          promql(`sum(rate(redis_commands_processed_total[${RATE}]))`, 'commands/s'),
          promql(`sum(rate(redis_evicted_keys_total[${RATE}]))`, 'evictions/s'),
          promql('sum(redis_connected_clients)', 'clients'),
        ],
        {
          description: 'Evictions mean maxmemory is too small for the online store.',
          unit: 'short',
          span: 7,
        },
      ),
    )
    .withPanel(
      timeseries('Redis hit ratio over time', [promql(redisHitRatio(RATE), 'hit ratio')], {
        description: 'Keyspace reads that found their key.',
        unit: 'percentunit',
        span: 6,
        max: 1,
      }),
    )
    .withRow(new RowBuilder('MANTIS storage'))
    .withPanel(
      timeseries(
        'Write latency p99 per store',
        [promql('store:mantis_storage_write_duration_seconds:p99_5m', '{{store}}')],
        { description: 'One batched write transaction, from the processors.', unit: 's', span: 8 },
      ),
    )
    .withPanel(
      timeseries('Rows written', [promql(sumRate('kind', 'mantis_storage_rows_written_total'), '{{kind}}')], {
        description: 'Raw readings, sample blocks and feature windows committed per second.',
        unit: 'rowsps',
        span: 8,
      }),
    )
    .withPanel(
      timeseries(
        'Online store reads',
        [promql(sumRate('result', 'mantis_online_store_reads_total'), '{{result}}')],
        {
          description: 'Latest-feature reads served by the online store (hit) or the database (miss).',
          unit: 'reqps',
          span: 8,
        },
      ),
    );
}
