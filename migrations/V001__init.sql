-- Registry, time series, alerts and work orders. Runs unchanged on PGlite and PostgreSQL 15+.

CREATE TABLE sites (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assets (
  id                 text PRIMARY KEY,
  site_id            text NOT NULL REFERENCES sites (id),
  line_id            text NOT NULL,
  name               text NOT NULL,
  kind               text NOT NULL,
  health             real CHECK (health BETWEEN 0 AND 100),
  health_updated_at  timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
-- GET /v1/assets?site= lists a site's assets.
CREATE INDEX assets_site_idx ON assets (site_id, id);

CREATE TABLE sensors (
  id              text PRIMARY KEY,
  asset_id        text NOT NULL REFERENCES assets (id),
  kind            text NOT NULL,
  unit            text NOT NULL,
  sample_rate_hz  double precision NOT NULL CHECK (sample_rate_hz > 0),
  valid_min       double precision NOT NULL,
  valid_max       double precision NOT NULL,
  CHECK (valid_min < valid_max)
);
-- GET /v1/assets/:id loads an asset's sensors.
CREATE INDEX sensors_asset_idx ON sensors (asset_id);

-- Raw scalar readings; the primary key makes a replayed reading overwrite itself.
CREATE TABLE raw_readings (
  sensor_id  text NOT NULL,
  ts         timestamptz NOT NULL,
  value      double precision NOT NULL,
  PRIMARY KEY (sensor_id, ts)
);

-- Raw sample blocks: samples as little-endian float32, a quarter of their text size.
CREATE TABLE raw_blocks (
  sensor_id  text NOT NULL,
  ts         timestamptz NOT NULL,
  rate_hz    double precision NOT NULL,
  samples    bytea NOT NULL,
  PRIMARY KEY (sensor_id, ts)
);

-- One row per closed window; the key makes writes idempotent on (asset, sensor, window start)
-- and serves GET /v1/assets/:id/features?sensor=&from=&to=.
CREATE TABLE features (
  asset_id       text NOT NULL,
  sensor_id      text NOT NULL,
  window_start   timestamptz NOT NULL,
  window_end     timestamptz NOT NULL,
  count          integer NOT NULL,
  mean           double precision NOT NULL,
  min            double precision NOT NULL,
  max            double precision NOT NULL,
  std            double precision NOT NULL,
  rms            double precision NOT NULL,
  peak_to_peak   double precision NOT NULL,
  crest_factor   double precision,
  skewness       double precision,
  kurtosis       double precision,
  dominant_hz    double precision,
  band_energies  double precision[],
  anomaly_score  double precision,
  health         real,
  computed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (asset_id, sensor_id, window_start)
);

-- Per series, every window starting before closed_until is stored: replayed readings are not re-windowed.
CREATE TABLE window_progress (
  asset_id      text NOT NULL,
  sensor_id     text NOT NULL,
  closed_until  timestamptz NOT NULL,
  PRIMARY KEY (asset_id, sensor_id)
);

CREATE TABLE alerts (
  id           text PRIMARY KEY,
  asset_id     text NOT NULL,
  sensor_id    text NOT NULL,
  cause        text NOT NULL,
  severity     text NOT NULL CHECK (severity IN ('warning', 'critical')),
  status       text NOT NULL CHECK (status IN ('active', 'resolved')),
  health       real NOT NULL,
  score        double precision NOT NULL,
  message      text NOT NULL,
  raised_at    timestamptz NOT NULL,
  resolved_at  timestamptz
);
-- GET /v1/alerts lists newest first, optionally by status.
CREATE INDEX alerts_raised_idx ON alerts (raised_at DESC);
-- The processor restores active alerts at start.
CREATE INDEX alerts_active_idx ON alerts (asset_id, sensor_id) WHERE status = 'active';

CREATE TABLE work_orders (
  id          text PRIMARY KEY,
  asset_id    text NOT NULL,
  sensor_id   text NOT NULL,
  cause       text NOT NULL,
  alert_id    text NOT NULL REFERENCES alerts (id),
  title       text NOT NULL,
  priority    text NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
  status      text NOT NULL CHECK (status IN ('open', 'assigned', 'in_progress', 'done', 'cancelled')),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
-- Never two open work orders for one asset, sensor and cause.
CREATE UNIQUE INDEX work_orders_one_open_idx ON work_orders (asset_id, sensor_id, cause)
  WHERE status IN ('open', 'assigned', 'in_progress');
-- GET /v1/work-orders lists newest first.
CREATE INDEX work_orders_created_idx ON work_orders (created_at DESC);
