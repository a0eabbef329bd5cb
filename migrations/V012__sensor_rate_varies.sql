-- Sample blocks must come at the sensor's registered rate (within 1 %) unless the sensor says its rate varies.
ALTER TABLE sensors ADD COLUMN rate_varies boolean NOT NULL DEFAULT false;
