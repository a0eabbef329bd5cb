import { describe, expect, it } from 'vitest';
import { allows, formatApiKey, type Principal, parseApiKey, type Role } from './access.ts';

const as = (role: Role): Principal => ({ actor: role, role, siteId: null, keyId: null });

describe('access', () => {
  it('ranks viewer < technician < admin, and keeps devices to ingestion', () => {
    const table: [Role, Role, boolean][] = [
      ['viewer', 'viewer', true],
      ['viewer', 'technician', false],
      ['viewer', 'device', false],
      ['technician', 'viewer', true],
      ['technician', 'technician', true],
      ['technician', 'admin', false],
      ['admin', 'admin', true],
      ['admin', 'device', true],
      ['device', 'device', true],
      ['device', 'viewer', false],
      ['device', 'technician', false],
      ['technician', 'device', false],
    ];
    for (const [held, needed, allowed] of table)
      expect([held, needed, allows(as(held), needed)]).toEqual([held, needed, allowed]);
  });

  it('parses only well-formed keys', () => {
    const secret = 'a'.repeat(43);
    expect(parseApiKey(formatApiKey('0123456789ab', secret))).toEqual({ id: '0123456789ab', secret });
    expect(parseApiKey(`mnt_0123456789ab_${secret}x`)).toBeNull();
    expect(parseApiKey(`mnt_0123456789AB_${secret}`)).toBeNull();
    expect(parseApiKey('')).toBeNull();
  });
});
