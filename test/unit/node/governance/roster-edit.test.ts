import { beforeAll, describe, expect, it } from 'vitest';
import { ready, validateRosterBody, type RosterBody } from '../../../../protocol';
import { setMemberStatus, upsertMember } from '../../../../node/governance/roster-edit';
import type { MemberDescriptor } from '../../../../node/membership/descriptor';

const key = (c: string) => `${c.repeat(42)}A=`;
const base: RosterBody = { v: 1, consortium: 'c1', version: 1, issuedAt: '2026-11-01T00:00:00Z', governance: [{ kid: 'gov-1', publicKey: key('A') }], members: [] };
const descriptor = (signal: string): MemberDescriptor => ({
  version: 1,
  id: 'shop-a',
  name: 'Shop A',
  baseUrl: 'http://127.0.0.1:7501',
  keys: [
    { kid: 'node-1', use: 'node', publicKey: key('B') },
    { kid: signal, use: 'signal', publicKey: key(signal === 'sig-1' ? 'C' : 'D') },
  ],
});

beforeAll(ready);

describe('roster editing', () => {
  it('adds a member with keys valid from (a little before) now', () => {
    const next = upsertMember(base, descriptor('sig-1'), { now: new Date('2026-11-23T10:00:00Z') });
    expect(next.version).toBe(2);
    expect(validateRosterBody(next).members[0]).toMatchObject({ id: 'shop-a', status: 'active', log: { origin: 'c1/shop-a' }, validFrom: '2026-11-23T09:55:00Z' });
  });

  it('rotates a key: the old one stays valid for the overlap, the new one starts now', () => {
    const v2 = upsertMember(base, descriptor('sig-1'), { now: new Date('2026-11-23T10:00:00Z') });
    const v3 = upsertMember(v2, descriptor('sig-2'), { now: new Date('2026-12-01T00:00:00Z'), overlapMs: 24 * 3600 * 1000 });
    const keys = validateRosterBody(v3).members[0]!.keys;
    expect(keys.find((k) => k.kid === 'sig-1')).toMatchObject({ notAfter: '2026-12-02T00:00:00Z' });
    expect(keys.find((k) => k.kid === 'sig-2')).toMatchObject({ notBefore: '2026-11-30T23:55:00Z' });
    expect(keys.find((k) => k.kid === 'node-1')!.notAfter).toBeUndefined();
  });

  it('changes status without dropping the member, and refuses unknown members', () => {
    const v2 = upsertMember(base, descriptor('sig-1'), { now: new Date('2026-11-23T10:00:00Z') });
    const v3 = setMemberStatus(v2, 'shop-a', 'suspended', new Date('2026-11-24T00:00:00Z'));
    expect(v3.members[0]!.status).toBe('suspended');
    expect(upsertMember(v3, descriptor('sig-1'), { now: new Date('2026-11-25T00:00:00Z') }).members[0]!.status).toBe('suspended');
    expect(() => setMemberStatus(v3, 'nobody', 'revoked', new Date())).toThrow(/not in roster/);
  });
});
