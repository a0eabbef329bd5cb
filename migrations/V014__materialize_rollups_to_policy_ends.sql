-- V013's one-off job materialised the roll-ups up to now: the current 1 h and 1 day buckets were then frozen
-- below the materialization watermark, and windows stored later in them did not show until the refresh
-- policies' end offsets passed them (up to a day). Up to each policy's end offset, the newest buckets stay
-- computed in real time. Runs under TimescaleDB only, where the job exists.
CREATE OR REPLACE PROCEDURE mantis_materialize_rollups(job_id integer, config jsonb)
LANGUAGE plpgsql AS $$
BEGIN
  CALL refresh_continuous_aggregate('features_1m', NULL, now() - INTERVAL '1 minute');
  COMMIT;
  CALL refresh_continuous_aggregate('features_1h', NULL, now() - INTERVAL '1 hour');
  COMMIT;
  CALL refresh_continuous_aggregate('features_1d', NULL, now() - INTERVAL '1 day');
  COMMIT;
  PERFORM delete_job(job_id);
END
$$;
