-- Work orders opened by people, not by an alert: no alert, and possibly no particular sensor.

ALTER TABLE work_orders ALTER COLUMN alert_id DROP NOT NULL;
ALTER TABLE work_orders ALTER COLUMN sensor_id DROP NOT NULL;
