-- GET /v1/alerts and /v1/work-orders page by keyset (time, id), newest first: the index holds that order, so a
-- page deep in the list starts where the cursor points instead of scanning from the newest row.

DROP INDEX alerts_raised_idx;
CREATE INDEX alerts_page_idx ON alerts (raised_at DESC, id DESC);
DROP INDEX work_orders_created_idx;
CREATE INDEX work_orders_page_idx ON work_orders (created_at DESC, id DESC);
