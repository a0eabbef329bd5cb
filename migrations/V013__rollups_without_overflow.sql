-- Roll-ups of extreme values, in double precision throughout (a cast to numeric keeps only 15 significant
-- digits of a double). A count-weighted mean or root-mean-square summed as it is overflows (the sum of two
-- means near 1.8e308; rms² · count above rms ≈ 1.3e154) or underflows (rms below ≈ 1e-162), either of which
-- fails the whole write. So the values of a group are first scaled by the power of two 2^−e at or below their
-- largest magnitude, as src/pipeline/features.ts does within a window: exact in binary floating point, so the
-- sums are those of the values themselves, bit for bit, wherever those do not overflow. Each roll-up sums its
-- inputs in time order, so that every engine and every replay gives the same bits. The functions that call
-- others keep the search path they were created with: TimescaleDB refreshes continuous aggregates without it.

-- x · 2^n for n in [−1022, 1022] (so that 2^n is a normal number): exact while the result is normal, rounded
-- to a subnormal below that, and 0 where PostgreSQL's multiplication would raise an underflow error.
CREATE OR REPLACE FUNCTION mantis_ldexp(x float8, n integer) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN n >= 0 OR abs(x) >= 1 THEN x * power(2::float8, n)
    -- The product rounds to zero where |x| · 2^n ≤ 2^−1075, compared as |x| · 2^52 ≤ 2^(−1023 − n), whose
    -- sides are both normal numbers.
    WHEN abs(x) * 4503599627370496::float8 <= power(2::float8, -1023 - n) THEN 0
    ELSE x * power(2::float8, n)
  END
$$;

-- The exponent e of the power of two at or below m > 0 (give or take one, as ln rounds), clamped to
-- [−1022, 1022] so that 2^e and 2^−e are normal numbers; 0 for 0, null or a non-finite m.
CREATE OR REPLACE FUNCTION mantis_exponent(m float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN m > 0 AND m < 'Infinity'
    THEN least(1022, greatest(-1022, floor(ln(m) / ln(2))))::integer ELSE 0 END
$$;

-- The weighted mean Σ w·x / Σ w of the values x with weights w ≥ 0 (arrays in the same order), summed in
-- array order on the values scaled by 2^−e (e of their largest magnitude), and kept within [min x, max x]
-- where the exact mean lies, so that equal values give themselves back; null without weight. A value that the
-- scaling takes below the smallest subnormal counts as 0.
CREATE OR REPLACE FUNCTION mantis_weighted_mean(x float8[], w float8[]) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
  SELECT CASE WHEN sum(v.w) > 0 THEN mantis_ldexp(least(max(v.y), greatest(min(v.y),
           -- The quotient is taken 2^200 higher, where it cannot underflow, and brought back.
           mantis_ldexp(sum(v.w * v.y) * 2::float8 ^ 200 / sum(v.w), -200))), s.e) END
  FROM (SELECT mantis_exponent(max(abs(a))) AS e FROM unnest(x) AS a) AS s,
       LATERAL (SELECT mantis_ldexp(u.x, -s.e) AS y, u.w FROM unnest(x, w) AS u(x, w)) AS v
  GROUP BY s.e
$$;

-- The weighted root-mean-square √(Σ w·x² / Σ w) of the values x with weights w ≥ 0, scaled and summed as in
-- mantis_weighted_mean, and kept within [min |x|, max |x|]. A scaled value under 2^−500 counts as 0 instead of
-- underflowing when squared: its square, under 2^−1000, is lost against the largest one (2^−104 or more) anyway.
CREATE OR REPLACE FUNCTION mantis_weighted_rms(x float8[], w float8[]) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
  SELECT CASE WHEN sum(v.w) > 0 THEN mantis_ldexp(least(max(v.y), greatest(min(v.y),
           sqrt(mantis_ldexp(sum(v.w * v.y2) * 2::float8 ^ 200 / sum(v.w), -200)))), s.e) END
  FROM (SELECT mantis_exponent(max(abs(a))) AS e FROM unnest(x) AS a) AS s,
       LATERAL (SELECT y, CASE WHEN y < 2::float8 ^ -500 THEN 0 ELSE y * y END AS y2, u.w
                FROM unnest(x, w) AS u(x, w), mantis_ldexp(abs(u.x), -s.e) AS y) AS v
  GROUP BY s.e
$$;

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
         mantis_weighted_mean(array_agg(f.mean ORDER BY f.window_start),
           array_agg(f.count::float8 ORDER BY f.window_start)),
         min(f.min), max(f.max),
         mantis_weighted_rms(array_agg(f.rms ORDER BY f.window_start),
           array_agg(f.count::float8 ORDER BY f.window_start)),
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
         mantis_weighted_mean(array_agg(m.mean ORDER BY m.bucket),
           array_agg(m.count::float8 ORDER BY m.bucket)),
         min(m.min), max(m.max),
         mantis_weighted_rms(array_agg(m.rms ORDER BY m.bucket),
           array_agg(m.count::float8 ORDER BY m.bucket)),
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
         mantis_weighted_mean(array_agg(h.mean ORDER BY h.bucket),
           array_agg(h.count::float8 ORDER BY h.bucket)),
         min(h.min), max(h.max),
         mantis_weighted_rms(array_agg(h.rms ORDER BY h.bucket),
           array_agg(h.count::float8 ORDER BY h.bucket)),
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
           mantis_weighted_mean(array_agg(mean ORDER BY window_start),
             array_agg(count::float8 ORDER BY window_start)) AS mean,
           min(min) AS min, max(max) AS max,
           mantis_weighted_rms(array_agg(rms ORDER BY window_start),
             array_agg(count::float8 ORDER BY window_start)) AS rms,
           max(anomaly_score) AS max_anomaly_score, min(health) AS min_health
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
           max(max_anomaly_score) AS max_anomaly_score, min(min_health) AS min_health
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
