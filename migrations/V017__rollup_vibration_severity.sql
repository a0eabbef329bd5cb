-- Roll-ups carry the vibration severity of their windows (V016), null where no window of the bucket has one:
--   velocity_rms       r.m.s. velocity of the bucket in mm/s (ISO 20816-3, 10–1000 Hz);
--   max_velocity_rms   the largest window velocity_rms of the bucket, in mm/s;
--   max_severity_zone  the worst ISO 20816-3 zone of the bucket: A (best) to D (worst), so the maximum letter;
--   velocity_count     Σ count over the windows that have a velocity: the weight of velocity_rms one level up,
--                      since a sensor's windows need not all have one.
-- An r.m.s. value combines as the square root of the count-weighted mean of squares, √(Σ n·v² / Σ n), which is
-- the r.m.s. of all the samples of the bucket; a mean of r.m.s. values is not (it understates a bucket with one
-- loud window). mantis_weighted_rms (V013) computes it without overflow, in time order, as for rms.

DO $$
BEGIN
  IF mantis_timescaledb() THEN
    RETURN;
  END IF;
  -- Nullable, without default: existing rows take null until re-materialised below.
  ALTER TABLE features_1m ADD COLUMN velocity_count bigint, ADD COLUMN velocity_rms double precision,
    ADD COLUMN max_velocity_rms double precision, ADD COLUMN max_severity_zone text;
  ALTER TABLE features_1h ADD COLUMN velocity_count bigint, ADD COLUMN velocity_rms double precision,
    ADD COLUMN max_velocity_rms double precision, ADD COLUMN max_severity_zone text;
  ALTER TABLE features_1d ADD COLUMN velocity_count bigint, ADD COLUMN velocity_rms double precision,
    ADD COLUMN max_velocity_rms double precision, ADD COLUMN max_severity_zone text;
END
$$;

-- Native roll-ups (PostgreSQL, PGlite): as in V013, with the velocity columns.
CREATE OR REPLACE FUNCTION mantis_refresh_rollups(p_assets text[], p_sensors text[], p_starts timestamptz[])
RETURNS void LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
  epoch constant timestamptz := timestamptz '1970-01-01 00:00:00+00';
BEGIN
  IF mantis_timescaledb() THEN
    RETURN;
  END IF;
  INSERT INTO features_1m
    (asset_id, sensor_id, bucket, windows, count, mean, min, max, rms, max_anomaly_score, min_health,
     velocity_count, velocity_rms, max_velocity_rms, max_severity_zone)
  SELECT f.asset_id, f.sensor_id, b.bucket, count(*), sum(f.count),
         mantis_weighted_mean(array_agg(f.mean ORDER BY f.window_start),
           array_agg(f.count::float8 ORDER BY f.window_start)),
         min(f.min), max(f.max),
         mantis_weighted_rms(array_agg(f.rms ORDER BY f.window_start),
           array_agg(f.count::float8 ORDER BY f.window_start)),
         max(f.anomaly_score), min(f.health),
         sum(f.count) FILTER (WHERE f.velocity_rms IS NOT NULL),
         mantis_weighted_rms(array_agg(f.velocity_rms ORDER BY f.window_start) FILTER (WHERE f.velocity_rms IS NOT NULL),
           array_agg(f.count::float8 ORDER BY f.window_start) FILTER (WHERE f.velocity_rms IS NOT NULL)),
         max(f.velocity_rms), max(f.severity_zone)
  FROM (SELECT DISTINCT a, s, date_bin('1 minute', t, epoch) FROM unnest(p_assets, p_sensors, p_starts) AS u(a, s, t))
    AS b(asset_id, sensor_id, bucket)
  JOIN features f ON f.asset_id = b.asset_id AND f.sensor_id = b.sensor_id
    AND f.window_start >= b.bucket AND f.window_start < b.bucket + interval '1 minute'
  GROUP BY f.asset_id, f.sensor_id, b.bucket
  ON CONFLICT (asset_id, sensor_id, bucket) DO UPDATE SET windows = EXCLUDED.windows, count = EXCLUDED.count,
    mean = EXCLUDED.mean, min = EXCLUDED.min, max = EXCLUDED.max, rms = EXCLUDED.rms,
    max_anomaly_score = EXCLUDED.max_anomaly_score, min_health = EXCLUDED.min_health,
    velocity_count = EXCLUDED.velocity_count, velocity_rms = EXCLUDED.velocity_rms,
    max_velocity_rms = EXCLUDED.max_velocity_rms, max_severity_zone = EXCLUDED.max_severity_zone;

  INSERT INTO features_1h
    (asset_id, sensor_id, bucket, windows, count, mean, min, max, rms, max_anomaly_score, min_health,
     velocity_count, velocity_rms, max_velocity_rms, max_severity_zone)
  SELECT m.asset_id, m.sensor_id, b.bucket, sum(m.windows), sum(m.count),
         mantis_weighted_mean(array_agg(m.mean ORDER BY m.bucket),
           array_agg(m.count::float8 ORDER BY m.bucket)),
         min(m.min), max(m.max),
         mantis_weighted_rms(array_agg(m.rms ORDER BY m.bucket),
           array_agg(m.count::float8 ORDER BY m.bucket)),
         max(m.max_anomaly_score), min(m.min_health),
         sum(m.velocity_count),
         mantis_weighted_rms(array_agg(m.velocity_rms ORDER BY m.bucket) FILTER (WHERE m.velocity_rms IS NOT NULL),
           array_agg(m.velocity_count::float8 ORDER BY m.bucket) FILTER (WHERE m.velocity_rms IS NOT NULL)),
         max(m.max_velocity_rms), max(m.max_severity_zone)
  FROM (SELECT DISTINCT a, s, date_bin('1 hour', t, epoch) FROM unnest(p_assets, p_sensors, p_starts) AS u(a, s, t))
    AS b(asset_id, sensor_id, bucket)
  JOIN features_1m m ON m.asset_id = b.asset_id AND m.sensor_id = b.sensor_id
    AND m.bucket >= b.bucket AND m.bucket < b.bucket + interval '1 hour'
  GROUP BY m.asset_id, m.sensor_id, b.bucket
  ON CONFLICT (asset_id, sensor_id, bucket) DO UPDATE SET windows = EXCLUDED.windows, count = EXCLUDED.count,
    mean = EXCLUDED.mean, min = EXCLUDED.min, max = EXCLUDED.max, rms = EXCLUDED.rms,
    max_anomaly_score = EXCLUDED.max_anomaly_score, min_health = EXCLUDED.min_health,
    velocity_count = EXCLUDED.velocity_count, velocity_rms = EXCLUDED.velocity_rms,
    max_velocity_rms = EXCLUDED.max_velocity_rms, max_severity_zone = EXCLUDED.max_severity_zone;

  INSERT INTO features_1d
    (asset_id, sensor_id, bucket, windows, count, mean, min, max, rms, max_anomaly_score, min_health,
     velocity_count, velocity_rms, max_velocity_rms, max_severity_zone)
  SELECT h.asset_id, h.sensor_id, b.bucket, sum(h.windows), sum(h.count),
         mantis_weighted_mean(array_agg(h.mean ORDER BY h.bucket),
           array_agg(h.count::float8 ORDER BY h.bucket)),
         min(h.min), max(h.max),
         mantis_weighted_rms(array_agg(h.rms ORDER BY h.bucket),
           array_agg(h.count::float8 ORDER BY h.bucket)),
         max(h.max_anomaly_score), min(h.min_health),
         sum(h.velocity_count),
         mantis_weighted_rms(array_agg(h.velocity_rms ORDER BY h.bucket) FILTER (WHERE h.velocity_rms IS NOT NULL),
           array_agg(h.velocity_count::float8 ORDER BY h.bucket) FILTER (WHERE h.velocity_rms IS NOT NULL)),
         max(h.max_velocity_rms), max(h.max_severity_zone)
  FROM (SELECT DISTINCT a, s, date_bin('1 day', t, epoch) FROM unnest(p_assets, p_sensors, p_starts) AS u(a, s, t))
    AS b(asset_id, sensor_id, bucket)
  JOIN features_1h h ON h.asset_id = b.asset_id AND h.sensor_id = b.sensor_id
    AND h.bucket >= b.bucket AND h.bucket < b.bucket + interval '1 day'
  GROUP BY h.asset_id, h.sensor_id, b.bucket
  ON CONFLICT (asset_id, sensor_id, bucket) DO UPDATE SET windows = EXCLUDED.windows, count = EXCLUDED.count,
    mean = EXCLUDED.mean, min = EXCLUDED.min, max = EXCLUDED.max, rms = EXCLUDED.rms,
    max_anomaly_score = EXCLUDED.max_anomaly_score, min_health = EXCLUDED.min_health,
    velocity_count = EXCLUDED.velocity_count, velocity_rms = EXCLUDED.velocity_rms,
    max_velocity_rms = EXCLUDED.max_velocity_rms, max_severity_zone = EXCLUDED.max_severity_zone;
END
$$;

-- Native: the buckets holding windows with a velocity, the only ones whose new columns are not null, computed
-- again from the features (the 1 h and 1 day ones from the level below, as every write does).
DO $$
BEGIN
  IF mantis_timescaledb() THEN
    RETURN;
  END IF;
  PERFORM mantis_refresh_rollups(array_agg(asset_id), array_agg(sensor_id), array_agg(minute))
  FROM (SELECT DISTINCT asset_id, sensor_id,
               date_bin('1 minute', window_start, timestamptz '1970-01-01 00:00:00+00') AS minute
        FROM features WHERE velocity_rms IS NOT NULL) AS v
  HAVING count(*) > 0;
END
$$;

-- TimescaleDB: the continuous aggregates are created again as in V013 with the velocity columns, their refresh
-- and retention policies restored, and materialised by one job of V014's procedure, which replaces any such job
-- still pending. Buckets older than the features' retention cannot be rebuilt from them.
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
           mantis_weighted_mean(array_agg(mean ORDER BY window_start),
             array_agg(count::float8 ORDER BY window_start)) AS mean,
           min(min) AS min, max(max) AS max,
           mantis_weighted_rms(array_agg(rms ORDER BY window_start),
             array_agg(count::float8 ORDER BY window_start)) AS rms,
           max(anomaly_score) AS max_anomaly_score, min(health) AS min_health,
           (sum(count) FILTER (WHERE velocity_rms IS NOT NULL))::bigint AS velocity_count,
           mantis_weighted_rms(array_agg(velocity_rms ORDER BY window_start) FILTER (WHERE velocity_rms IS NOT NULL),
             array_agg(count::float8 ORDER BY window_start) FILTER (WHERE velocity_rms IS NOT NULL)) AS velocity_rms,
           max(velocity_rms) AS max_velocity_rms, max(severity_zone) AS max_severity_zone
    FROM features GROUP BY asset_id, sensor_id, time_bucket(INTERVAL '1 minute', window_start)
    WITH NO DATA;
  CREATE MATERIALIZED VIEW features_1h
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT asset_id, sensor_id, time_bucket(INTERVAL '1 hour', bucket) AS bucket,
           sum(windows)::integer AS windows, sum(count)::bigint AS count,
           mantis_weighted_mean(array_agg(mean ORDER BY bucket),
             array_agg(count::float8 ORDER BY bucket)) AS mean,
           min(min) AS min, max(max) AS max,
           mantis_weighted_rms(array_agg(rms ORDER BY bucket),
             array_agg(count::float8 ORDER BY bucket)) AS rms,
           max(max_anomaly_score) AS max_anomaly_score, min(min_health) AS min_health,
           sum(velocity_count)::bigint AS velocity_count,
           mantis_weighted_rms(array_agg(velocity_rms ORDER BY bucket) FILTER (WHERE velocity_rms IS NOT NULL),
             array_agg(velocity_count::float8 ORDER BY bucket) FILTER (WHERE velocity_rms IS NOT NULL)) AS velocity_rms,
           max(max_velocity_rms) AS max_velocity_rms, max(max_severity_zone) AS max_severity_zone
    FROM features_1m GROUP BY asset_id, sensor_id, time_bucket(INTERVAL '1 hour', bucket)
    WITH NO DATA;
  CREATE MATERIALIZED VIEW features_1d
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT asset_id, sensor_id, time_bucket(INTERVAL '1 day', bucket) AS bucket,
           sum(windows)::integer AS windows, sum(count)::bigint AS count,
           mantis_weighted_mean(array_agg(mean ORDER BY bucket),
             array_agg(count::float8 ORDER BY bucket)) AS mean,
           min(min) AS min, max(max) AS max,
           mantis_weighted_rms(array_agg(rms ORDER BY bucket),
             array_agg(count::float8 ORDER BY bucket)) AS rms,
           max(max_anomaly_score) AS max_anomaly_score, min(min_health) AS min_health,
           sum(velocity_count)::bigint AS velocity_count,
           mantis_weighted_rms(array_agg(velocity_rms ORDER BY bucket) FILTER (WHERE velocity_rms IS NOT NULL),
             array_agg(velocity_count::float8 ORDER BY bucket) FILTER (WHERE velocity_rms IS NOT NULL)) AS velocity_rms,
           max(max_velocity_rms) AS max_velocity_rms, max(max_severity_zone) AS max_severity_zone
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
  PERFORM delete_job(job_id) FROM timescaledb_information.jobs WHERE proc_name = 'mantis_materialize_rollups';
  PERFORM add_job('mantis_materialize_rollups', INTERVAL '1 day', initial_start => now());
END
$$;
