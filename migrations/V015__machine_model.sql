-- The machine model vibration diagnosis reads (see docs/diagnostics.md): on an asset, how its running speed is
-- known and its ISO 20816-3 class; on a vibration sensor, the bearings it watches and the direction it measures.
-- The API validates the documents' shape; the database keeps them as given.
ALTER TABLE assets
  ADD COLUMN machine jsonb CHECK (machine IS NULL OR jsonb_typeof(machine) = 'object');

ALTER TABLE sensors
  ADD COLUMN bearings jsonb CHECK (bearings IS NULL OR jsonb_typeof(bearings) = 'array'),
  ADD COLUMN axis text CHECK (axis IN ('radial', 'axial'));
