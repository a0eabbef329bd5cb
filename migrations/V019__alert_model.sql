-- The learned model whose score raised an alert, or the last one that escalated it: registered name and version.
-- Both null: the baseline scorer, and every alert raised before models were served.
ALTER TABLE alerts
  ADD COLUMN model_name text,
  ADD COLUMN model_version text,
  ADD CONSTRAINT alerts_model_whole CHECK ((model_name IS NULL) = (model_version IS NULL));
