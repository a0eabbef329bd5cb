/** Who may do what: roles, the principal a request acts as, and the API key format. Pure. */

export const roles = ['viewer', 'technician', 'admin', 'device'] as const;
export type Role = (typeof roles)[number];

export interface Principal {
  /** Recorded as who did a write: the key's name and id, or the configured token. */
  actor: string;
  role: Role;
  /** Device tokens ingest for this site only. */
  siteId: string | null;
  keyId: string | null;
}

// device sits apart: it may ingest, and nothing else.
const rank: Record<Exclude<Role, 'device'>, number> = { viewer: 1, technician: 2, admin: 3 };

/** Whether a principal holds the role a route needs. Admins may do everything, devices only ingest. */
export function allows(principal: Principal, needed: Role): boolean {
  if (principal.role === 'admin') return true;
  if (needed === 'device' || principal.role === 'device') return principal.role === needed;
  return rank[principal.role] >= rank[needed];
}

/** `mnt_<12 hex id>_<43 base64url secret>`: the id finds the key, the secret proves it. */
const KEY_PATTERN = /^mnt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function parseApiKey(token: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(token);
  return match ? { id: match[1], secret: match[2] } : null;
}

export function formatApiKey(id: string, secret: string): string {
  return `mnt_${id}_${secret}`;
}
