-- What closing a work order found: a named fault (outer-race, imbalance, …), other:<text>, or no-fault-found
-- (domain/work-orders.ts checks the values). Who closed it and when are its done step in work_order_events.
-- Orders closed before keep null: "not stated". Only a done order has a finding.
ALTER TABLE work_orders
  ADD COLUMN confirmed_cause text,
  ADD CONSTRAINT work_orders_finding_when_done
    CHECK (confirmed_cause IS NULL OR (status = 'done' AND length(confirmed_cause) BETWEEN 1 AND 120));
-- Labels read the findings closed in a range of time: the few done orders that have one.
CREATE INDEX work_orders_findings_idx ON work_orders (updated_at) WHERE confirmed_cause IS NOT NULL;
