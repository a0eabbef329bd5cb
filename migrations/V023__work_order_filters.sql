-- GET /v1/work-orders filters by asset (and, through assets, by site or line), status and priority, newest
-- first by keyset (created_at, id). Each index holds that order under its filter, so a page reads matching
-- rows only; a site or line is matched through its assets, walking the index of the most selective filter
-- (measured with EXPLAIN ANALYZE on PostgreSQL 15, 300 000 orders on 2 000 assets: docs/data-model.md).
CREATE INDEX work_orders_asset_page_idx ON work_orders (asset_id, created_at DESC, id DESC);
CREATE INDEX work_orders_status_page_idx ON work_orders (status, created_at DESC, id DESC);
CREATE INDEX work_orders_priority_page_idx ON work_orders (priority, created_at DESC, id DESC);
