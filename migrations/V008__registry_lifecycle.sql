-- Sites, lines, assets and sensors are retired, never deleted: their history keeps its meaning.
-- version counts updates made through the API, for ETag / If-Match.

ALTER TABLE sites
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD COLUMN retired_at timestamptz;

CREATE TABLE lines (
  id          text PRIMARY KEY,
  site_id     text NOT NULL REFERENCES sites (id),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1,
  retired_at  timestamptz
);
-- GET /v1/lines?site= lists a site's lines.
CREATE INDEX lines_site_idx ON lines (site_id, id);

-- Lines were free text on assets: each becomes a line of the site of its first asset.
INSERT INTO lines (id, site_id, name)
SELECT DISTINCT ON (line_id) line_id, site_id, line_id FROM assets ORDER BY line_id, site_id;

ALTER TABLE assets
  ADD CONSTRAINT assets_line_fk FOREIGN KEY (line_id) REFERENCES lines (id),
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD COLUMN retired_at timestamptz,
  -- ISO 22400 planned run time per item, for OEE effectiveness; null: not a producing asset.
  ADD COLUMN ideal_cycle_seconds double precision CHECK (ideal_cycle_seconds > 0);
-- KPIs per line sum the line's assets.
CREATE INDEX assets_line_idx ON assets (line_id, id);

ALTER TABLE sensors ADD COLUMN retired_at timestamptz;
