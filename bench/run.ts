/** npm run bench: every benchmark, one process each, JSON lines on stdout. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { influxdAvailable } from '../test/helpers/influxdb.ts';
import { kafkaAvailable, postgresAvailable } from '../test/helpers/infra.ts';

const benches = ['features.ts', 'pipeline-embedded.ts'];
// The scale-out path needs the local stack (scripts/stack/up.sh); without it, say so and go on.
if ((await kafkaAvailable()).available && (await postgresAvailable()).available) {
  benches.push('pipeline-kafka.ts');
  // InfluxDB as the raw store: needs the influxd scripts/stack/influxdb.sh builds.
  if ((await influxdAvailable()).available) benches.push('influxdb.ts');
}
// Parquet export against COPY … TO, and bytes per stored row: need PostgreSQL only.
if ((await postgresAvailable()).available) benches.push('export.ts', 'storage-footprint.ts');

for (const name of benches) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(`./${name}`, import.meta.url))], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
