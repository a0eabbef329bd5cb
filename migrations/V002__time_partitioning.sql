-- Time partitioning of the time-series tables and the 1 min / 1 h / 1 day roll-ups of the features.
-- With the TimescaleDB extension available: hypertables and hierarchical continuous aggregates.
-- Without it (PostgreSQL, PGlite): native range partitions of one day, BRIN indexes on time, and roll-up
-- tables that the processor refreshes in the transaction that stores the windows.
-- Policies (retention, compression, chunk size) are set by R__timeseries_policies.sql from the configuration.

CREATE FUNCTION mantis_timescaledb() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
$$;

-- Creates the missing daily partitions of a natively partitioned table over [p_from, p_to); on a hypertable
-- (or an unpartitioned table) it does nothing. Partitions are named <table>_pYYYYMMDD, in UTC days.
CREATE FUNCTION mantis_ensure_partitions(p_parent regclass, p_from timestamptz, p_to timestamptz)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  day timestamptz := date_bin('1 day', p_from, timestamptz '1970-01-01 00:00:00+00');
  name text;
  created integer := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = p_parent) THEN
    RETURN 0;
  END IF;
  WHILE day < p_to LOOP
    name := format('%s_p%s', p_parent::text, to_char(day AT TIME ZONE 'UTC', 'YYYYMMDD'));
    IF to_regclass(name) IS NULL THEN
      -- Serialises processors creating the same partition at once.
      PERFORM pg_advisory_xact_lock(hashtext(name));
      IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                       name, p_parent, day, day + interval '1 day');
        created := created + 1;
      END IF;
    END IF;
    day := day + interval '1 day';
  END LOOP;
  RETURN created;
END
$$;

-- What retention keeps, per relation, in days (0 keeps everything); written by R__timeseries_policies.sql.
CREATE TABLE mantis_retention (
  relation   text PRIMARY KEY,
  time_column text NOT NULL,
  keep_days  integer NOT NULL CHECK (keep_days >= 0)
);

-- Native retention: drops whole daily partitions past their relation's keep_days and deletes old roll-up rows.
-- Under TimescaleDB the retention policies do this instead.
CREATE FUNCTION mantis_apply_retention(p_now timestamptz DEFAULT now())
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  r record;
  p record;
  dropped integer := 0;
  cutoff timestamptz;
BEGIN
  IF mantis_timescaledb() THEN
    RETURN 0;
  END IF;
  FOR r IN SELECT * FROM mantis_retention WHERE keep_days > 0 LOOP
    cutoff := p_now - make_interval(days => r.keep_days);
    IF EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = r.relation::regclass) THEN
      FOR p IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = r.relation::regclass AND c.relname ~ '_p[0-9]{8}$'
      LOOP
        -- The partition's upper bound: midnight UTC after the day in its name.
        IF (right(p.relname, 8)::date + 1)::timestamp AT TIME ZONE 'UTC' <= cutoff THEN
          EXECUTE format('DROP TABLE %I', p.relname);
          dropped := dropped + 1;
        END IF;
      END LOOP;
    ELSE
      EXECUTE format('DELETE FROM %I WHERE %I < $1', r.relation, r.time_column) USING cutoff;
    END IF;
  END LOOP;
  RETURN dropped;
END
$$;

DO $$
DECLARE
  t record;
  lo timestamptz;
  hi timestamptz;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    PERFORM create_hypertable('features', by_range('window_start', INTERVAL '1 day'), migrate_data => true);
    PERFORM create_hypertable('raw_readings', by_range('ts', INTERVAL '1 day'), migrate_data => true);
    PERFORM create_hypertable('raw_blocks', by_range('ts', INTERVAL '1 day'), migrate_data => true);

    -- Counts weight the means; RMS combines as the root of the count-weighted mean square.
    CREATE MATERIALIZED VIEW features_1m
      WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
      SELECT asset_id, sensor_id, time_bucket(INTERVAL '1 minute', window_start) AS bucket,
             count(*)::integer AS windows, sum(count)::bigint AS count,
             sum(mean * count) / nullif(sum(count), 0) AS mean, min(min) AS min, max(max) AS max,
             sqrt(sum(rms * rms * count) / nullif(sum(count), 0)) AS rms,
             max(anomaly_score) AS max_anomaly_score, min(health) AS min_health
      FROM features GROUP BY asset_id, sensor_id, time_bucket(INTERVAL '1 minute', window_start)
      WITH NO DATA;
    CREATE MATERIALIZED VIEW features_1h
      WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
      SELECT asset_id, sensor_id, time_bucket(INTERVAL '1 hour', bucket) AS bucket,
             sum(windows)::integer AS windows, sum(count)::bigint AS count,
             sum(mean * count) / nullif(sum(count), 0) AS mean, min(min) AS min, max(max) AS max,
             sqrt(sum(rms * rms * count) / nullif(sum(count), 0)) AS rms,
             max(max_anomaly_score) AS max_anomaly_score, min(min_health) AS min_health
      FROM features_1m GROUP BY asset_id, sensor_id, time_bucket(INTERVAL '1 hour', bucket)
      WITH NO DATA;
    CREATE MATERIALIZED VIEW features_1d
      WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
      SELECT asset_id, sensor_id, time_bucket(INTERVAL '1 day', bucket) AS bucket,
             sum(windows)::integer AS windows, sum(count)::bigint AS count,
             sum(mean * count) / nullif(sum(count), 0) AS mean, min(min) AS min, max(max) AS max,
             sqrt(sum(rms * rms * count) / nullif(sum(count), 0)) AS rms,
             max(max_anomaly_score) AS max_anomaly_score, min(min_health) AS min_health
      FROM features_1h GROUP BY asset_id, sensor_id, time_bucket(INTERVAL '1 day', bucket)
      WITH NO DATA;
  ELSE
    -- Rebuild each table as a range-partitioned one and move its rows into daily partitions.
    FOR t IN SELECT * FROM (VALUES ('features', 'window_start', 'asset_id, sensor_id, window_start'),
                                   ('raw_readings', 'ts', 'sensor_id, ts'),
                                   ('raw_blocks', 'ts', 'sensor_id, ts')) AS v(name, time_column, key)
    LOOP
      EXECUTE format('ALTER TABLE %I RENAME TO %I', t.name, t.name || '_v001');
      EXECUTE format('ALTER INDEX %I RENAME TO %I', t.name || '_pkey', t.name || '_v001_pkey');
      EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (%I)',
                     t.name, t.name || '_v001', t.time_column);
      EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (%s)', t.name, t.key);
      EXECUTE format('SELECT min(%1$I), max(%1$I) FROM %2$I', t.time_column, t.name || '_v001') INTO lo, hi;
      IF lo IS NOT NULL THEN
        PERFORM mantis_ensure_partitions(t.name::regclass, lo, hi + interval '1 microsecond');
        EXECUTE format('INSERT INTO %I SELECT * FROM %I', t.name, t.name || '_v001');
      END IF;
      EXECUTE format('DROP TABLE %I', t.name || '_v001');
    END LOOP;

    -- Fleet-wide time ranges (GET /v1/export/*): a BRIN summary per 128 pages, rows arrive in time order.
    CREATE INDEX features_time_brin ON features USING brin (window_start);
    CREATE INDEX raw_readings_time_brin ON raw_readings USING brin (ts);

    CREATE TABLE features_1m (
      asset_id text NOT NULL, sensor_id text NOT NULL, bucket timestamptz NOT NULL,
      windows integer NOT NULL, count bigint NOT NULL, mean double precision, min double precision,
      max double precision, rms double precision, max_anomaly_score double precision, min_health real,
      PRIMARY KEY (asset_id, sensor_id, bucket)
    );
    CREATE TABLE features_1h (LIKE features_1m INCLUDING ALL);
    CREATE TABLE features_1d (LIKE features_1m INCLUDING ALL);
  END IF;
END
$$;

-- Recomputes the roll-up buckets holding the given windows from the level below, so that a replayed window
-- changes nothing. Under TimescaleDB the continuous aggregates do this instead.
CREATE FUNCTION mantis_refresh_rollups(p_assets text[], p_sensors text[], p_starts timestamptz[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  epoch constant timestamptz := timestamptz '1970-01-01 00:00:00+00';
BEGIN
  IF mantis_timescaledb() THEN
    RETURN;
  END IF;
  INSERT INTO features_1m
  SELECT f.asset_id, f.sensor_id, b.bucket, count(*), sum(f.count),
         sum(f.mean * f.count) / nullif(sum(f.count), 0), min(f.min), max(f.max),
         sqrt(sum(f.rms * f.rms * f.count) / nullif(sum(f.count), 0)), max(f.anomaly_score), min(f.health)
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
         sum(m.mean * m.count) / nullif(sum(m.count), 0), min(m.min), max(m.max),
         sqrt(sum(m.rms * m.rms * m.count) / nullif(sum(m.count), 0)), max(m.max_anomaly_score), min(m.min_health)
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
         sum(h.mean * h.count) / nullif(sum(h.count), 0), min(h.min), max(h.max),
         sqrt(sum(h.rms * h.rms * h.count) / nullif(sum(h.count), 0)), max(h.max_anomaly_score), min(h.min_health)
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
