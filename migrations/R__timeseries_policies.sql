-- Retention, compression and chunk size from the configuration (database.*). Repeatable: it runs again
-- whenever a setting changes. The names in dollar-braces are placeholders, replaced by whole numbers before
-- it runs, by MANTIS or by Flyway (docs/deployment.md); Flyway replaces them in comments too, so none is
-- written here.

INSERT INTO mantis_retention (relation, time_column, keep_days) VALUES
  ('raw_readings', 'ts', ${raw_retention_days}),
  ('raw_blocks', 'ts', ${raw_retention_days}),
  ('features', 'window_start', ${feature_retention_days}),
  ('features_1m', 'bucket', ${feature_retention_days}),
  ('features_1h', 'bucket', ${rollup_retention_days}),
  ('features_1d', 'bucket', ${rollup_retention_days})
ON CONFLICT (relation) DO UPDATE SET time_column = EXCLUDED.time_column, keep_days = EXCLUDED.keep_days;

DO $$
DECLARE
  r record;
BEGIN
  IF NOT mantis_timescaledb() THEN
    RETURN;  -- Native partitions: the processor applies mantis_retention hourly (mantis_apply_retention).
  END IF;

  PERFORM set_chunk_time_interval('features', INTERVAL '${chunk_hours} hours');
  PERFORM set_chunk_time_interval('raw_readings', INTERVAL '${chunk_hours} hours');
  PERFORM set_chunk_time_interval('raw_blocks', INTERVAL '${chunk_hours} hours');

  -- Compressed per series, newest first: the API reads one series over a time range.
  ALTER TABLE features SET (timescaledb.compress, timescaledb.compress_segmentby = 'asset_id, sensor_id',
                            timescaledb.compress_orderby = 'window_start DESC');
  ALTER TABLE raw_readings SET (timescaledb.compress, timescaledb.compress_segmentby = 'sensor_id',
                                timescaledb.compress_orderby = 'ts DESC');
  ALTER TABLE raw_blocks SET (timescaledb.compress, timescaledb.compress_segmentby = 'sensor_id',
                              timescaledb.compress_orderby = 'ts DESC');
  FOR r IN SELECT unnest(ARRAY['features', 'raw_readings', 'raw_blocks']) AS relation LOOP
    PERFORM remove_compression_policy(r.relation::regclass, if_exists => true);
    IF ${compress_after_days} > 0 THEN
      PERFORM add_compression_policy(r.relation::regclass, compress_after => make_interval(days => ${compress_after_days}));
    END IF;
  END LOOP;

  FOR r IN SELECT * FROM mantis_retention LOOP
    PERFORM remove_retention_policy(r.relation::regclass, if_exists => true);
    IF r.keep_days > 0 THEN
      PERFORM add_retention_policy(r.relation::regclass, drop_after => make_interval(days => r.keep_days));
    END IF;
  END LOOP;

  -- Each level refreshes the recent past of the one below; real-time aggregation covers the newest buckets.
  PERFORM remove_continuous_aggregate_policy('features_1m', if_exists => true);
  PERFORM add_continuous_aggregate_policy('features_1m', start_offset => INTERVAL '3 hours',
    end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');
  PERFORM remove_continuous_aggregate_policy('features_1h', if_exists => true);
  PERFORM add_continuous_aggregate_policy('features_1h', start_offset => INTERVAL '3 days',
    end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes');
  PERFORM remove_continuous_aggregate_policy('features_1d', if_exists => true);
  PERFORM add_continuous_aggregate_policy('features_1d', start_offset => INTERVAL '30 days',
    end_offset => INTERVAL '1 day', schedule_interval => INTERVAL '6 hours');
END
$$;
