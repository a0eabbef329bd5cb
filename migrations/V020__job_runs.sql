-- One row per run of a batch job (the etl target's schedules and `mantis etl` commands): the scheduled time it
-- ran for, when it started and finished, how it ended, which process ran it. A scheduled time with no row
-- never ran: the etl target counts those as missed runs when it starts. Runs are serialised per job by a
-- session advisory lock, pg_try_advisory_lock(hashtext('mantis.jobs'), hashtext(job)).
CREATE TABLE job_runs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job          text NOT NULL,
  scheduled_at timestamptz NOT NULL,
  trigger      text NOT NULL CHECK (trigger IN ('schedule', 'catch-up', 'manual')),
  instance     text NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  outcome      text NOT NULL DEFAULT 'running'
               CHECK (outcome IN ('running', 'success', 'failure', 'abandoned')),
  error        text,
  CONSTRAINT job_runs_finished CHECK ((outcome = 'running') = (finished_at IS NULL))
);
-- Each scheduled time runs once across every etl instance; commands run off the schedule.
CREATE UNIQUE INDEX job_runs_scheduled_idx ON job_runs (job, scheduled_at) WHERE trigger <> 'manual';
