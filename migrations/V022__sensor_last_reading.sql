-- When each sensor last sent a reading, for GET /v1/assets (lastReadingAt, stale) and mantis_sensors_stale.
-- One row per sensor that has sent one, upserted by the processor with each batch it stores, in the batch's
-- transaction, keeping the greatest reading time: a replayed older batch never moves it back. A table of its
-- own so that this row, rewritten with every batch, is not the registry's row (its locks, its history).
CREATE TABLE sensor_last_readings (
  sensor_id        text PRIMARY KEY,
  last_reading_at  timestamptz NOT NULL
);

-- Since when a sensor may send readings (registered, or registered again after retirement): a sensor that has
-- sent nothing since is stale once this is older than the stale period. Sensors registered before this
-- column existed count from their asset's registration.
ALTER TABLE sensors ADD COLUMN registered_at timestamptz;
UPDATE sensors s SET registered_at = a.created_at FROM assets a WHERE a.id = s.asset_id;
ALTER TABLE sensors ALTER COLUMN registered_at SET DEFAULT now();
ALTER TABLE sensors ALTER COLUMN registered_at SET NOT NULL;
