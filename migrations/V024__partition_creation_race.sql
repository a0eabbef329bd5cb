-- Two processes creating the same day's partition at once (processors of a scaled-out fleet, the hourly
-- upkeep): the advisory lock serialises them, but the second one's catalog lookup may still miss the table
-- the first has just committed, and its CREATE then fails with "already exists". The day exists either way,
-- which is all the caller asks for: the refusal is taken as that.
CREATE OR REPLACE FUNCTION mantis_ensure_partitions(p_parent regclass, p_from timestamptz, p_to timestamptz)
RETURNS integer LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
  day timestamptz := date_bin('1 day', p_from, timestamptz '1970-01-01 00:00:00+00');
  name text;
  created integer := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = p_parent) THEN
    RETURN 0;
  END IF;
  WHILE day < p_to LOOP
    name := format('%s_p%s', p_parent::text, to_char(day AT TIME ZONE 'UTC', 'YYYYMMDD'));
    IF to_regclass(name) IS NULL THEN
      -- Serialises processors creating the same partition at once.
      PERFORM pg_advisory_xact_lock(hashtext(name));
      IF to_regclass(name) IS NULL THEN
        BEGIN
          EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                         name, p_parent, day, day + interval '1 day');
          created := created + 1;
        EXCEPTION WHEN duplicate_table OR unique_violation THEN
          NULL;
        END;
      END IF;
    END IF;
    day := day + interval '1 day';
  END LOOP;
  RETURN created;
END
$$;
