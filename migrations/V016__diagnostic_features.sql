-- Vibration diagnosis of a window (src/pipeline/diagnostics.ts): r.m.s. velocity in mm/s over 10–1000 Hz, its
-- ISO 20816-3 zone (A–D), and the speed, envelope band, envelope levels and named faults as JSON. Null for
-- windows of sensors that are not diagnosed. One nullable column per statement, without default or constraint:
-- what TimescaleDB accepts on a hypertable with compression enabled (compressed chunks are not rewritten);
-- natively, the column reaches every partition.
ALTER TABLE features ADD COLUMN velocity_rms double precision;
ALTER TABLE features ADD COLUMN severity_zone text;
ALTER TABLE features ADD COLUMN diagnostics jsonb;
