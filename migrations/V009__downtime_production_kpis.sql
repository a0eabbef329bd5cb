-- What OEE, MTBF and MTTR are computed from: downtime events and production counts, per asset,
-- and the stored daily roll-ups that long ranges sum instead of recomputing every day.

CREATE TABLE downtime_events (
  id             text PRIMARY KEY,
  asset_id       text NOT NULL REFERENCES assets (id),
  -- planned: maintenance, no order, breaks (outside the planned busy time); unplanned: a failure.
  kind           text NOT NULL CHECK (kind IN ('planned', 'unplanned')),
  reason         text NOT NULL,
  started_at     timestamptz NOT NULL,
  -- null while the asset is still down.
  ended_at       timestamptz,
  work_order_id  text REFERENCES work_orders (id),
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  version        integer NOT NULL DEFAULT 1,
  CHECK (ended_at IS NULL OR ended_at > started_at)
);
-- KPIs read an asset's events overlapping a range; GET /v1/downtime?asset= lists them.
CREATE INDEX downtime_asset_idx ON downtime_events (asset_id, started_at);
-- Events still open, whatever their start.
CREATE INDEX downtime_open_idx ON downtime_events (asset_id) WHERE ended_at IS NULL;

-- Items produced and good items since the previous count; the key makes a resent count replace itself.
CREATE TABLE production_counts (
  asset_id     text NOT NULL REFERENCES assets (id),
  ts           timestamptz NOT NULL,
  produced     integer NOT NULL CHECK (produced >= 0),
  good         integer NOT NULL CHECK (good >= 0 AND good <= produced),
  recorded_by  text NOT NULL,
  PRIMARY KEY (asset_id, ts)
);

-- One asset's summable KPI totals for one whole UTC day. Deleted when an input of that day changes.
CREATE TABLE kpi_daily (
  asset_id               text NOT NULL REFERENCES assets (id),
  day                    date NOT NULL,
  planned_busy_ms        double precision NOT NULL,
  unplanned_downtime_ms  double precision NOT NULL,
  actual_production_ms   double precision NOT NULL,
  failures               integer NOT NULL,
  repairs                integer NOT NULL,
  repair_ms              double precision NOT NULL,
  produced               bigint NOT NULL,
  good                   bigint NOT NULL,
  ideal_run_ms           double precision NOT NULL,
  computed_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (asset_id, day)
);
