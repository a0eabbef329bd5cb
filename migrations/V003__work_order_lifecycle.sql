-- The work-order lifecycle: who it is assigned to, a version for optimistic concurrency (ETag / If-Match),
-- and every transition with who made it and when.

ALTER TABLE work_orders ADD COLUMN assignee text;
ALTER TABLE work_orders ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE work_order_events (
  work_order_id  text NOT NULL REFERENCES work_orders (id),
  seq            integer NOT NULL,
  from_status    text NOT NULL,
  to_status      text NOT NULL,
  assignee       text,
  actor          text NOT NULL,
  note           text,
  at             timestamptz NOT NULL,
  -- GET /v1/work-orders/{id} reads an order's history in order.
  PRIMARY KEY (work_order_id, seq)
);
