import { sha256 } from '@noble/hashes/sha2.js';
import {
  buildSignalBody,
  ed25519KeyPairFromSeed,
  newSignalId,
  signRoster,
  toBase64,
  toBase64Url,
  type RosterBody,
  type RosterMember,
  type SignalData,
  type SignalType,
  type SignedRoster,
  type SignedSignal,
  signSignal,
} from '../../../protocol';
import { keyId, type Ed25519Key, type NodeKeys } from '../../../node/keys/keyfile';

/** Deterministic bytes from a label (test keys, ids, subjects). */
export function seeded(label: string, n = 32): Uint8Array {
  const out = new Uint8Array(n);
  let block = 0;
  for (let o = 0; o < n; o += 32) out.set(sha256(new TextEncoder().encode(`${label}#${block++}`)).subarray(0, Math.min(32, n - o)), o);
  return out;
}

/** A deterministic random source: successive calls return fresh bytes derived from `label`. */
export function seededRandom(label: string): (n: number) => Uint8Array {
  let i = 0;
  return (n) => seeded(`${label}/${i++}`, n);
}

function edKey(label: string): Ed25519Key {
  const kp = ed25519KeyPairFromSeed(seeded(label));
  return { kid: keyId(kp.publicKey), publicKey: kp.publicKey, secretKey: kp.secretKey };
}

/** Deterministic node keys for a test member (call `await ready()` from the protocol first). */
export function testNodeKeys(memberId: string): NodeKeys {
  return {
    node: edKey(`${memberId}/node`),
    signal: edKey(`${memberId}/signal`),
    log: edKey(`${memberId}/log`),
    witness: edKey(`${memberId}/witness`),
    box: { publicKey: seeded(`${memberId}/box-pub`), secretKey: seeded(`${memberId}/box-sec`) },
    storageKey: seeded(`${memberId}/storage`),
  };
}

/** Test governance key. */
export const governanceKey = (() => {
  let k: Ed25519Key | null = null;
  return () => (k ??= edKey('governance'));
})();

/** The roster entry of a test member whose keys are {@link testNodeKeys}. */
export function rosterMember(consortium: string, memberId: string, keys: NodeKeys, opts: { status?: RosterMember['status']; baseUrl?: string } = {}): RosterMember {
  const k = (use: 'node' | 'signal' | 'log' | 'witness') => ({ kid: keys[use].kid, use, publicKey: toBase64(keys[use].publicKey), notBefore: '2020-01-01T00:00:00Z' });
  return {
    id: memberId,
    name: `Member ${memberId}`,
    baseUrl: opts.baseUrl ?? `http://${memberId}.test`,
    status: opts.status ?? 'active',
    validFrom: '2020-01-01T00:00:00Z',
    log: { origin: `${consortium}/${memberId}` },
    keys: [k('node'), k('signal'), k('log'), k('witness'), { kid: `${keys.node.kid}-x`, use: 'x25519', publicKey: toBase64(keys.box.publicKey), notBefore: '2020-01-01T00:00:00Z' }],
  };
}

/** A signed roster over `members` at `version`. */
export function testRoster(consortium: string, members: RosterMember[], version = 1): SignedRoster {
  const gov = governanceKey();
  const body: RosterBody = {
    v: 1,
    consortium,
    version,
    issuedAt: '2026-01-01T00:00:00Z',
    governance: [{ kid: gov.kid, publicKey: toBase64(gov.publicKey) }],
    members,
  };
  return signRoster(body, { kid: gov.kid, secretKey: gov.secretKey });
}

/** A subject pseudonym value for a label (43 base64url characters). */
export function subjectValue(label: string): string {
  return toBase64Url(seeded(`subject/${label}`));
}

/** Default data per signal type for tests. */
const DEFAULT_DATA: Partial<Record<SignalType, unknown>> = {
  'repayment.overdue': { product: 'cash_loan', bucket: 'M2', amountBand: '1k-5k', asOf: '2026-09' },
  'credit.line': { product: 'cash_loan', limitBand: '5k-10k', utilizationBand: '30-50', asOf: '2026-09' },
  'consent.withdrawn': { scope: 'all' },
};

/** Signs a signal of `type` by `memberId` about `subject` (deterministic id from `label`). */
export function testSignal<T extends SignalType>(
  memberId: string,
  keys: NodeKeys,
  subject: string,
  label: string,
  opts: { type?: T; data?: SignalData<T>; issuedAt?: Date } = {},
): SignedSignal {
  const type = (opts.type ?? 'repayment.overdue') as T;
  const body = buildSignalBody({
    type,
    id: newSignalId(() => seeded(`signal/${memberId}/${label}`, 16)),
    issuer: memberId,
    subject: { kid: 'k1', value: subject },
    issuedAt: opts.issuedAt ?? new Date('2026-10-01T00:00:00Z'),
    consent: `sha256:${'ab'.repeat(32)}`,
    data: (opts.data ?? DEFAULT_DATA[type]) as SignalData<T>,
  });
  return signSignal(body, { kid: keys.signal.kid, secretKey: keys.signal.secretKey });
}
