-- Roll-ups of extreme values: count-weighted means and root-mean-squares are summed in numeric, whose range has
-- no practical limit, instead of double precision, where rms² · count overflows above rms ≈ 1.3e154 (an error
-- that fails the whole write) and underflows to 0 below rms ≈ 1e-162. float8 → numeric keeps 15 significant
-- digits, and the result goes back to double precision.

-- Native roll-ups (PostgreSQL, PGlite): as in V002, still in UTC (V010).
CREATE OR REPLACE FUNCTION mantis_refresh_rollups(p_assets text[], p_sensors text[], p_starts timestamptz[])
RETURNS void LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
  epoch constant timestamptz := timestamptz '1970-01-01 00:00:00+00';
BEGIN
  IF mantis_timescaledb() THEN
    RETURN;
  END IF;
  INSERT INTO features_1m
  SELECT f.asset_id, f.sensor_id, b.bucket, count(*), sum(f.count),
         (sum(f.mean::numeric * f.count) / nullif(sum(f.count), 0))::float8, min(f.min), max(f.max),
         sqrt(sum(f.rms::numeric * f.rms::numeric * f.count) / nullif(sum(f.count), 0))::float8,
         max(f.anomaly_score), min(f.health)
  FROM (SELECT DISTINCT a, s, date_bin('1 minute', t, epoch) FROM unnest(p_assets, p_sensors, p_starts) AS u(a, s, t))
    AS b(asset_id, sensor_id, bucket)
  JOIN features f ON f.asset_id = b.asset_id AND f.sensor_id = b.sensor_id
    AND f.window_start >= b.bucket AND f.window_start < b.bucket + interval '1 minute'
  GROUP BY f.asset_id, f.sensor_id, b.bucket
  ON CONFLICT (asset_id, sensor_id, bucket) DO UPDATE SET windows = EXCLUDED.windows, count = EXCLUDED.count,
    mean = EXCLUDED.mean, min = EXCLUDED.min, max = EXCLUDED.max, rms = EXCLUDED.rms,
    max_anomaly_score = EXCLUDED.max_anomaly_score, min_health = EXCLUDED.min_health;

  INSERT INTO features_1h
  SELECT m.asset_id, m.sensor_id, b.bucket, sum(m.windows), sum(m.count),
         (sum(m.mean::numeric * m.count) / nullif(sum(m.count), 0))::float8, min(m.min), max(m.max),
         sqrt(sum(m.rms::numeric * m.rms::numeric * m.count) / nullif(sum(m.count), 0))::float8,
         max(m.max_anomaly_score), min(m.min_health)
  FROM (SELECT DISTINCT a, s, date_bin('1 hour', t, epoch) FROM unnest(p_assets, p_sensors, p_starts) AS u(a, s, t))
    AS b(asset_id, sensor_id, bucket)
  JOIN features_1m m ON m.asset_id = b.asset_id AND m.sensor_id = b.sensor_id
    AND m.bucket >= b.bucket AND m.bucket < b.bucket + interval '1 hour'
  GROUP BY m.asset_id, m.sensor_id, b.bucket
  ON CONFLICT (asset_id, sensor_id, bucket) DO UPDATE SET windows = EXCLUDED.windows, count = EXCLUDED.count,
    mean = EXCLUDED.mean, min = EXCLUDED.min, max = EXCLUDED.max, rms = EXCLUDED.rms,
    max_anomaly_score = EXCLUDED.max_anomaly_score, min_health = EXCLUDED.min_health;

  INSERT INTO features_1d
  SELECT h.asset_id, h.sensor_id, b.bucket, sum(h.windows), sum(h.count),
         (sum(h.mean::numeric * h.count) / nullif(sum(h.count), 0))::float8, min(h.min), max(h.max),
         sqrt(sum(h.rms::numeric * h.rms::numeric * h.count) / nullif(sum(h.count), 0))::float8,
         max(h.max_anomaly_score), min(h.min_health)
  FROM (SELECT DISTINCT a, s, date_bin('1 day', t, epoch) FROM unnest(p_assets, p_sensors, p_starts) AS u(a, s, t))
    AS b(asset_id, sensor_id, bucket)
  JOIN features_1h h ON h.asset_id = b.asset_id AND h.sensor_id = b.sensor_id
    AND h.bucket >= b.bucket AND h.bucket < b.bucket + interval '1 day'
  GROUP BY h.asset_id, h.sensor_id, b.bucket
  ON CONFLICT (asset_id, sensor_id, bucket) DO UPDATE SET windows = EXCLUDED.windows, count = EXCLUDED.count,
    mean = EXCLUDED.mean, min = EXCLUDED.min, max = EXCLUDED.max, rms = EXCLUDED.rms,
    max_anomaly_score = EXCLUDED.max_anomaly_score, min_health = EXCLUDED.min_health;
END
$$;

-- TimescaleDB: a continuous aggregate's query cannot be changed in place, so the three are created again with
-- the same columns, their refresh and retention policies restored (as R__timeseries_policies.sql sets them),
-- and a one-off job materialises them from the features. Buckets older than the features' retention cannot be
-- rebuilt from them.
CREATE OR REPLACE PROCEDURE mantis_materialize_rollups(job_id integer, config jsonb)
LANGUAGE plpgsql AS $$
BEGIN
  CALL refresh_continuous_aggregate('features_1m', NULL, NULL);
  COMMIT;
  CALL refresh_continuous_aggregate('features_1h', NULL, NULL);
  COMMIT;
  CALL refresh_continuous_aggregate('features_1d', NULL, NULL);
  COMMIT;
  PERFORM delete_job(job_id);
END
$$;

DO $$
DECLARE
  r record;
BEGIN
  IF NOT mantis_timescaledb() THEN
    RETURN;
  END IF;
  DROP MATERIALIZED VIEW features_1d;
  DROP MATERIALIZED VIEW features_1h;
  DROP MATERIALIZED VIEW features_1m;
  CREATE MATERIALIZED VIEW features_1m
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT asset_id, sensor_id, time_bucket(INTERVAL '1 minute', window_start) AS bucket,
           count(*)::integer AS windows, sum(count)::bigint AS count,
           (sum(mean::numeric * count) / nullif(sum(count), 0))::float8 AS mean, min(min) AS min, max(max) AS max,
           sqrt(sum(rms::numeric * rms::numeric * count) / nullif(sum(count), 0))::float8 AS rms,
           max(anomaly_score) AS max_anomaly_score, min(health) AS min_health
    FROM features GROUP BY asset_id, sensor_id, time_bucket(INTERVAL '1 minute', window_start)
    WITH NO DATA;
  CREATE MATERIALIZED VIEW features_1h
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT asset_id, sensor_id, time_bucket(INTERVAL '1 hour', bucket) AS bucket,
           sum(windows)::integer AS windows, sum(count)::bigint AS count,
           (sum(mean::numeric * count) / nullif(sum(count), 0))::float8 AS mean, min(min) AS min, max(max) AS max,
           sqrt(sum(rms::numeric * rms::numeric * count) / nullif(sum(count), 0))::float8 AS rms,
           max(max_anomaly_score) AS max_anomaly_score, min(min_health) AS min_health
    FROM features_1m GROUP BY asset_id, sensor_id, time_bucket(INTERVAL '1 hour', bucket)
    WITH NO DATA;
  CREATE MATERIALIZED VIEW features_1d
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT asset_id, sensor_id, time_bucket(INTERVAL '1 day', bucket) AS bucket,
           sum(windows)::integer AS windows, sum(count)::bigint AS count,
           (sum(mean::numeric * count) / nullif(sum(count), 0))::float8 AS mean, min(min) AS min, max(max) AS max,
           sqrt(sum(rms::numeric * rms::numeric * count) / nullif(sum(count), 0))::float8 AS rms,
           max(max_anomaly_score) AS max_anomaly_score, min(min_health) AS min_health
    FROM features_1h GROUP BY asset_id, sensor_id, time_bucket(INTERVAL '1 day', bucket)
    WITH NO DATA;
  PERFORM add_continuous_aggregate_policy('features_1m', start_offset => INTERVAL '3 hours',
    end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');
  PERFORM add_continuous_aggregate_policy('features_1h', start_offset => INTERVAL '3 days',
    end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes');
  PERFORM add_continuous_aggregate_policy('features_1d', start_offset => INTERVAL '30 days',
    end_offset => INTERVAL '1 day', schedule_interval => INTERVAL '6 hours');
  FOR r IN SELECT * FROM mantis_retention WHERE relation IN ('features_1m', 'features_1h', 'features_1d') LOOP
    IF r.keep_days > 0 THEN
      PERFORM add_retention_policy(r.relation::regclass, drop_after => make_interval(days => r.keep_days));
    END IF;
  END LOOP;
  PERFORM add_job('mantis_materialize_rollups', INTERVAL '1 day', initial_start => now());
END
$$;
