/**
 * Roster signing and verification (docs/protocol.md §8): Ed25519 by a governance key over
 * `"consortium-roster/v1\n" || JCS(body)`; distributed as the JCS of `{body, kid, sig}`.
 * A new roster is accepted only with a valid signature by a governance key of the currently trusted
 * roster (or the configured trust anchor), the same consortium id and a strictly higher version.
 */
import { ProtocolError } from '../errors';
import { canonicalJson } from '../canonical/jcs';
import { fromBase64, fromBase64Url, toBase64Url } from '../crypto/base64';
import { concatBytes, ed25519Sign, ed25519Verify } from '../crypto/ed25519';
import { KID_PATTERN } from '../subject/pseudonym';
import { parseTimestamp } from '../signals/time';
import { rosterBodySchema, type GovernanceKey, type RosterBody, type RosterKey, type SignedRoster } from './schema';

/** Domain-separation prefix of roster signatures. */
export const ROSTER_DOMAIN_V1 = 'consortium-roster/v1\n';
/** Largest encoded roster accepted (bytes). */
export const MAX_ROSTER_BYTES = 4 * 1024 * 1024;

function fail(message: string): never {
  throw new ProtocolError('ROSTER_SCHEMA', message);
}

/** Checks one key list: windows ordered, unique kids, and rotations overlapping per use. */
function checkKeys(memberId: string, keys: RosterKey[]): void {
  const kids = new Set<string>();
  for (const k of keys) {
    if (kids.has(k.kid)) fail(`member ${memberId}: duplicate key id ${k.kid}`);
    kids.add(k.kid);
    fromBase64(k.publicKey, 'ROSTER_SCHEMA');
    if (k.notAfter !== undefined && parseTimestamp(k.notAfter, 'ROSTER_SCHEMA') <= parseTimestamp(k.notBefore, 'ROSTER_SCHEMA')) {
      fail(`member ${memberId}: key ${k.kid} notAfter must be after notBefore`);
    }
  }
  const byUse = new Map<string, RosterKey[]>();
  for (const k of keys) byUse.set(k.use, [...(byUse.get(k.use) ?? []), k]);
  for (const [use, list] of byUse) {
    const sorted = [...list].sort((a, b) => parseTimestamp(a.notBefore) - parseTimestamp(b.notBefore));
    for (let i = 0; i + 1 < sorted.length; i++) {
      const prev = sorted[i]!;
      const next = sorted[i + 1]!;
      // Rotation: the successor must become valid before the predecessor stops being valid.
      if (prev.notAfter !== undefined && parseTimestamp(next.notBefore) >= parseTimestamp(prev.notAfter)) {
        fail(`member ${memberId}: ${use} key ${next.kid} does not overlap its predecessor ${prev.kid}`);
      }
    }
  }
}

/** Validates a roster body (schema plus cross-field rules); returns it typed or throws `ROSTER_SCHEMA`. */
export function validateRosterBody(input: unknown): RosterBody {
  const parsed = rosterBodySchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    fail(i ? `${i.path.join('.')}: ${i.message}` : 'invalid roster');
  }
  const body = parsed.data;
  parseTimestamp(body.issuedAt, 'ROSTER_SCHEMA');
  const ids = new Set<string>();
  for (const m of body.members) {
    if (ids.has(m.id)) fail(`duplicate member id ${m.id}`);
    ids.add(m.id);
    if (m.log.origin !== `${body.consortium}/${m.id}`) fail(`member ${m.id}: log origin must be ${body.consortium}/${m.id}`);
    if (m.validUntil !== undefined && parseTimestamp(m.validUntil, 'ROSTER_SCHEMA') <= parseTimestamp(m.validFrom, 'ROSTER_SCHEMA')) {
      fail(`member ${m.id}: validUntil must be after validFrom`);
    }
    checkKeys(m.id, m.keys);
  }
  const gk = new Set(body.governance.map((g) => g.kid));
  if (gk.size !== body.governance.length) fail('duplicate governance key id');
  return body;
}

function signingInput(body: RosterBody): Uint8Array {
  return concatBytes(new TextEncoder().encode(ROSTER_DOMAIN_V1), new TextEncoder().encode(canonicalJson(body)));
}

/** Validates and signs a roster body with a governance key (`kid` must be listed in the trusted roster). */
export function signRoster(body: RosterBody, signer: { kid: string; secretKey: Uint8Array }): SignedRoster {
  const valid = validateRosterBody(body);
  if (!KID_PATTERN.test(signer.kid)) throw new ProtocolError('KEY_INVALID', 'governance kid is malformed');
  return { body: valid, kid: signer.kid, sig: toBase64Url(ed25519Sign(signingInput(valid), signer.secretKey)) };
}

/** Encodes a signed roster for distribution: UTF-8 JCS of `{body, kid, sig}`. */
export function encodeRoster(signed: SignedRoster): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ body: signed.body, kid: signed.kid, sig: signed.sig }));
}

/** Decodes (does not verify) a distributed roster; throws `ROSTER_SCHEMA`. */
export function decodeRoster(bytes: Uint8Array): SignedRoster {
  if (bytes.length > MAX_ROSTER_BYTES) fail('roster too large');
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new ProtocolError('ROSTER_SCHEMA', 'roster is not UTF-8 JSON', { cause });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('roster must be an object');
  const { body, kid, sig, ...rest } = v as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof kid !== 'string' || typeof sig !== 'string') fail('roster must be {body, kid, sig}');
  return { body: validateRosterBody(body), kid, sig };
}

/** Options of {@link verifyRoster}. */
export interface VerifyRosterOptions {
  /** The currently trusted roster, if any: its governance keys, consortium and version apply. */
  current?: RosterBody;
  /** Trust anchor governance keys, used when there is no current roster (first installation). */
  anchors?: GovernanceKey[];
}

/**
 * Verifies a signed roster: schema, governance signature by a key of `current.governance` (or of
 * `anchors` when there is no current roster), same consortium id, strictly higher version, no
 * member dropped and no key id re-bound to a different key. Returns the body; throws `ROSTER_*`.
 */
export function verifyRoster(signed: SignedRoster, opts: VerifyRosterOptions): RosterBody {
  const body = validateRosterBody(signed?.body);
  const trusted = opts.current?.governance ?? opts.anchors ?? [];
  const key = trusted.find((k) => k.kid === signed.kid);
  if (!key) throw new ProtocolError('ROSTER_BAD_SIGNATURE', `governance key ${String(signed.kid)} is not trusted`);
  const sig = fromBase64Url(String(signed.sig), 'ROSTER_BAD_SIGNATURE');
  if (!ed25519Verify(sig, signingInput(body), fromBase64(key.publicKey, 'ROSTER_BAD_SIGNATURE'))) {
    throw new ProtocolError('ROSTER_BAD_SIGNATURE', 'roster signature does not verify');
  }
  const cur = opts.current;
  if (cur) {
    if (cur.consortium !== body.consortium) throw new ProtocolError('ROSTER_CONSORTIUM_MISMATCH', 'roster is for another consortium');
    if (body.version <= cur.version) throw new ProtocolError('ROSTER_VERSION_NOT_NEWER', `roster version ${body.version} is not above ${cur.version}`);
    const next = new Map(body.members.map((m) => [m.id, m]));
    for (const m of cur.members) {
      const n = next.get(m.id);
      if (!n) fail(`member ${m.id} was dropped; revoke instead of removing`);
      const nk = new Map(n.keys.map((k) => [k.kid, k]));
      for (const k of m.keys) {
        const again = nk.get(k.kid);
        if (again && (again.publicKey !== k.publicKey || again.use !== k.use)) fail(`member ${m.id}: key id ${k.kid} re-bound to another key`);
      }
    }
  }
  return body;
}
