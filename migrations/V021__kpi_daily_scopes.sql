-- The daily KPI table of every asset, line and site: an asset's row is its kpi_daily row; a line's or a
-- site's row sums its assets' rows (every total is additive; docs/kpis.md). A line or site day appears only
-- once each of its assets in service that day has its row, so a sum is never partial: a stored asset day
-- deleted when an input changed hides its line's and site's day until `mantis etl kpi-rollup` stores it again.
-- An asset retired before a day counts nothing that day (no planned time), so its row is not awaited.
-- Days are UTC days (V010): `day` is compared with retirement at UTC midnight, whatever the session zone.
CREATE VIEW kpi_daily_scopes AS
WITH scoped AS (
  SELECT k.*, a.line_id, a.site_id
  FROM kpi_daily k JOIN assets a ON a.id = k.asset_id
  WHERE a.retired_at IS NULL OR a.retired_at > (k.day::timestamp AT TIME ZONE 'UTC')
),
awaited AS (
  -- Per line and site and day: how many assets must have a row.
  SELECT d.day, a.line_id, a.site_id
  FROM (SELECT DISTINCT day FROM kpi_daily) d
  JOIN assets a ON a.retired_at IS NULL OR a.retired_at > (d.day::timestamp AT TIME ZONE 'UTC')
),
totals AS (
  SELECT 'line'::text AS scope, line_id AS scope_id, day, planned_busy_ms, unplanned_downtime_ms,
         actual_production_ms, failures, repairs, repair_ms, produced, good, ideal_run_ms, computed_at
  FROM scoped
  UNION ALL
  SELECT 'site', site_id, day, planned_busy_ms, unplanned_downtime_ms, actual_production_ms, failures,
         repairs, repair_ms, produced, good, ideal_run_ms, computed_at
  FROM scoped
),
counts AS (
  SELECT 'line'::text AS scope, line_id AS scope_id, day, count(*) AS n FROM awaited GROUP BY line_id, day
  UNION ALL
  SELECT 'site', site_id, day, count(*) FROM awaited GROUP BY site_id, day
)
SELECT 'asset'::text AS scope, asset_id AS scope_id, day, planned_busy_ms, unplanned_downtime_ms,
       actual_production_ms, failures::bigint AS failures, repairs::bigint AS repairs, repair_ms, produced, good,
       ideal_run_ms, 1::bigint AS assets, computed_at
FROM kpi_daily
UNION ALL
SELECT t.scope, t.scope_id, t.day, sum(t.planned_busy_ms), sum(t.unplanned_downtime_ms),
       sum(t.actual_production_ms), sum(t.failures)::bigint, sum(t.repairs)::bigint, sum(t.repair_ms),
       sum(t.produced)::bigint, sum(t.good)::bigint, sum(t.ideal_run_ms), count(*), max(t.computed_at)
FROM totals t JOIN counts c ON c.scope = t.scope AND c.scope_id = t.scope_id AND c.day = t.day
GROUP BY t.scope, t.scope_id, t.day, c.n
HAVING count(*) = c.n;
