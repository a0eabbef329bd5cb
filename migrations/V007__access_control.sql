-- API keys and device tokens, stored as SHA-256 digests of their secrets, and the audit log of writes.

CREATE TABLE api_keys (
  id             text PRIMARY KEY,
  name           text NOT NULL,
  role           text NOT NULL CHECK (role IN ('viewer', 'technician', 'admin', 'device')),
  -- Device tokens ingest for one site only; the other roles are not scoped.
  site_id        text REFERENCES sites (id),
  secret_sha256  bytea NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     text NOT NULL,
  last_used_at   timestamptz,
  revoked_at     timestamptz,
  revoked_by     text,
  CHECK ((role = 'device') = (site_id IS NOT NULL))
);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  role        text NOT NULL,
  method      text NOT NULL,
  route       text NOT NULL,
  path        text NOT NULL,
  status      integer NOT NULL,
  request_id  text NOT NULL
);
-- GET /v1/audit?actor= pages newest first.
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id DESC);
