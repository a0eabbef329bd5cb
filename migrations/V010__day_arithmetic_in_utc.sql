-- Days are UTC days whatever the server's or the session's time zone: these functions add `interval '1 day'`
-- to timestamptz values, which follows the session zone (23 or 25 hours across a daylight-saving change).
-- Run in UTC, a day is always 24 hours and partitions, retention and daily roll-ups line up with UTC midnight.
ALTER FUNCTION mantis_ensure_partitions(regclass, timestamptz, timestamptz) SET timezone = 'UTC';
ALTER FUNCTION mantis_apply_retention(timestamptz) SET timezone = 'UTC';
ALTER FUNCTION mantis_refresh_rollups(text[], text[], timestamptz[]) SET timezone = 'UTC';
