import { describe, it, expect, beforeAll } from 'vitest';
import { ready } from '../../../../protocol/crypto/sodium';
import { toBase64 } from '../../../../protocol/crypto/base64';
import { signRoster, verifyRoster, encodeRoster, decodeRoster, validateRosterBody } from '../../../../protocol/roster/verify';
import {
  getMember, memberStatusAt, memberKeys, rosterSignalKeys, memberLogVerifierKeys, memberWitnessVerifierKeys, requireActiveMember,
} from '../../../../protocol/roster/lookup';
import { parseVerifierKey } from '../../../../protocol/note/keys';
import type { RosterBody } from '../../../../protocol/roster/schema';
import { ProtocolError } from '../../../../protocol/errors';
import { fixtureKey, fixtureRoster } from '../../../fixtures/protocol/roster';

beforeAll(ready);
const gov = () => ({ kid: 'gov-1', secretKey: fixtureKey(100).secretKey });
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'OK';
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
};
const clone = (b: RosterBody): RosterBody => structuredClone(b);

describe('roster', () => {
  it('signs, encodes, decodes and verifies against the trust anchor', () => {
    const v1 = fixtureRoster();
    const signed = signRoster(v1, gov());
    const decoded = decodeRoster(encodeRoster(signed));
    expect(verifyRoster(decoded, { anchors: v1.governance })).toEqual(v1);
  });

  it('accepts only newer versions of the same consortium signed by a current governance key', () => {
    const v1 = fixtureRoster();
    const v2 = clone(v1);
    v2.version = 2;
    expect(codeOf(() => verifyRoster(signRoster(v2, gov()), { current: v1 }))).toBe('OK');
    expect(codeOf(() => verifyRoster(signRoster(v1, gov()), { current: v1 }))).toBe('ROSTER_VERSION_NOT_NEWER');
    const other = clone(v2);
    other.consortium = 'cn-auto';
    other.members = [];
    expect(codeOf(() => verifyRoster(signRoster(other, gov()), { current: v1 }))).toBe('ROSTER_CONSORTIUM_MISMATCH');
    expect(codeOf(() => verifyRoster(signRoster(v2, { kid: 'gov-1', secretKey: fixtureKey(101).secretKey }), { current: v1 }))).toBe('ROSTER_BAD_SIGNATURE');
    expect(codeOf(() => verifyRoster(signRoster(v2, { kid: 'gov-2', secretKey: fixtureKey(100).secretKey }), { current: v1 }))).toBe('ROSTER_BAD_SIGNATURE');
    const tampered = signRoster(v2, gov());
    tampered.body = { ...tampered.body, version: 3 };
    expect(codeOf(() => verifyRoster(tampered, { current: v1 }))).toBe('ROSTER_BAD_SIGNATURE');
    expect(codeOf(() => verifyRoster(signRoster(v2, gov()), {}))).toBe('ROSTER_BAD_SIGNATURE');
  });

  it('rotates the governance key through the roster chain', () => {
    const v1 = fixtureRoster();
    const v2 = clone(v1);
    v2.version = 2;
    v2.governance = [{ kid: 'gov-2', publicKey: toBase64(fixtureKey(101).publicKey) }];
    verifyRoster(signRoster(v2, gov()), { current: v1 });
    const v3 = clone(v2);
    v3.version = 3;
    expect(codeOf(() => verifyRoster(signRoster(v3, gov()), { current: v2 }))).toBe('ROSTER_BAD_SIGNATURE');
    expect(codeOf(() => verifyRoster(signRoster(v3, { kid: 'gov-2', secretKey: fixtureKey(101).secretKey }), { current: v2 }))).toBe('OK');
  });

  const invalid: [string, (b: RosterBody) => void][] = [
    ['duplicate member', (b) => b.members.push(structuredClone(b.members[0]!))],
    ['wrong origin', (b) => (b.members[0]!.log.origin = 'cn-retail/other')],
    ['duplicate kid', (b) => b.members[0]!.keys.push({ ...b.members[0]!.keys[0]! })],
    ['short public key', (b) => (b.members[0]!.keys[0]!.publicKey = 'AAAA')],
    ['unknown field', (b) => ((b as unknown as Record<string, unknown>).extra = true)],
    ['bad status', (b) => ((b.members[0] as unknown as Record<string, unknown>).status = 'paused')],
    ['key window reversed', (b) => (b.members[0]!.keys[0]!.notAfter = '2025-01-01T00:00:00Z')],
    ['rotation without overlap', (b) => {
      b.members[0]!.keys[0]!.notAfter = '2026-06-01T00:00:00Z';
      b.members[0]!.keys.push({ kid: 'acme-sig-2', use: 'signal', publicKey: toBase64(fixtureKey(50).publicKey), notBefore: '2026-06-01T00:00:00Z' });
    }],
  ];
  it.each(invalid)('rejects %s', (_n, mutate) => {
    const b = fixtureRoster();
    mutate(b);
    expect(codeOf(() => validateRosterBody(b))).toBe('ROSTER_SCHEMA');
    expect(codeOf(() => signRoster(b, gov()))).toBe('ROSTER_SCHEMA');
  });

  it('refuses dropped members and re-bound key ids', () => {
    const v1 = fixtureRoster();
    const dropped = clone(v1);
    dropped.version = 2;
    dropped.members.pop();
    expect(codeOf(() => verifyRoster(signRoster(dropped, gov()), { current: v1 }))).toBe('ROSTER_SCHEMA');
    const rebound = clone(v1);
    rebound.version = 2;
    rebound.members[0]!.keys[0]!.publicKey = toBase64(fixtureKey(77).publicKey);
    expect(codeOf(() => verifyRoster(signRoster(rebound, gov()), { current: v1 }))).toBe('ROSTER_SCHEMA');
  });

  it('resolves statuses, rotating keys, signal keys and vkeys', () => {
    const b = fixtureRoster();
    const acme = b.members[0]!;
    acme.keys[0]!.notAfter = '2026-07-01T00:00:00Z';
    acme.keys.push({ kid: 'acme-sig-2', use: 'signal', publicKey: toBase64(fixtureKey(50).publicKey), notBefore: '2026-06-01T00:00:00Z' });
    b.members[1]!.status = 'revoked';
    validateRosterBody(b);
    expect(memberKeys(acme, 'signal', new Date('2026-05-01T00:00:00Z')).map((k) => k.kid)).toEqual(['acme-sig-1']);
    expect(memberKeys(acme, 'signal', new Date('2026-06-15T00:00:00Z')).map((k) => k.kid)).toEqual(['acme-sig-1', 'acme-sig-2']);
    expect(memberKeys(acme, 'signal', new Date('2026-07-01T00:00:00Z')).map((k) => k.kid)).toEqual(['acme-sig-2']);
    const lookup = rosterSignalKeys(b);
    expect(lookup('acme', 'acme-sig-1')?.notAfter).toBe(Date.parse('2026-07-01T00:00:00Z'));
    expect(lookup('beta', 'beta-sig-1')).toBeUndefined();
    expect(lookup('acme', 'beta-sig-1')).toBeUndefined();
    expect(memberStatusAt(acme, new Date('2025-12-31T00:00:00Z'))).toBe('not_yet_valid');
    expect(memberStatusAt(acme, new Date('2026-02-01T00:00:00Z'))).toBe('active');
    expect(codeOf(() => requireActiveMember(b, 'beta', new Date('2026-02-01T00:00:00Z')))).toBe('ROSTER_MEMBER_INACTIVE');
    expect(codeOf(() => getMember(b, 'gamma'))).toBe('ROSTER_MEMBER_UNKNOWN');
    const logV = parseVerifierKey(memberLogVerifierKeys(acme, new Date('2026-02-01T00:00:00Z'))[0]!);
    expect([logV.name, logV.type, toBase64(logV.publicKey)]).toEqual(['cn-retail/acme', 1, acme.keys[1]!.publicKey]);
    const witV = parseVerifierKey(memberWitnessVerifierKeys(acme, new Date('2026-02-01T00:00:00Z'))[0]!);
    expect([witV.name, witV.type, toBase64(witV.publicKey)]).toEqual(['cn-retail/acme/witness', 4, acme.keys[2]!.publicKey]);
  });
});
