-- GET /v1/assets sorted by a value that changes (health, name) pages through the order taken when the listing
-- started: an asset that moves meanwhile is neither skipped nor listed twice. Kept for an hour.
CREATE TABLE asset_list_snapshots (
  id          text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- The filters of the listing, so that assets registered since are listed after the ranked ones.
  filters     jsonb NOT NULL,
  asset_ids   text[] NOT NULL
);
CREATE INDEX asset_list_snapshots_age_idx ON asset_list_snapshots (created_at);
