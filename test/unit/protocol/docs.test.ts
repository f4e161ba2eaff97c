/**
 * Recomputes every worked example of docs/protocol.md (blocks marked `<!-- check:ID -->`), so the
 * normative document cannot drift from the implementation.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as p from '../../../protocol/index';

const DOC = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/protocol.md'), 'utf8');

/** The content of the fenced block following `<!-- check:id -->` (without the final newline). */
function block(id: string): string {
  const m = new RegExp(`<!-- check:${id} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!m) throw new Error(`docs/protocol.md has no check block ${id}`);
  return m[1]!;
}

const seed = (n: number) => new Uint8Array(32).fill(n);
const enc = (s: string) => new TextEncoder().encode(s);

describe('docs/protocol.md worked examples', () => {
  let entry: Uint8Array;
  let pseudonym: p.Pseudonym;
  beforeAll(async () => {
    await p.ready();
  });

  it('lists every check block this test knows', () => {
    const ids = [...DOC.matchAll(/<!-- check:([a-z0-9-]+) -->/g)].map((m) => m[1]);
    expect(ids).toEqual([
      'subject-normalized', 'pseudonym-input-hex', 'pseudonym-value', 'signal-public-key-hex', 'signal-body-jcs', 'signal-sig',
      'signal-entry', 'signal-leaf-hash', 'merkle-leaves', 'merkle-root', 'merkle-proofs', 'log-vkey', 'checkpoint-note',
      'witness-vkey', 'cosigned-note', 'bundle-hex', 'roster-body', 'roster-sig',
    ]);
  });

  it('§10 lists every error code and §1 every domain-separation string', () => {
    const section = DOC.slice(DOC.indexOf('## 10. Error codes'), DOC.indexOf('## 11.'));
    for (const code of p.PROTOCOL_ERROR_CODES) expect(section).toContain(`\`${code}\``);
    for (const d of [p.PSEUDONYM_DOMAIN_V1, p.SEALED_KEY_DOMAIN_V1, p.SIGNAL_DOMAIN_V1, p.ROSTER_DOMAIN_V1, p.COSIGNATURE_HEADER]) {
      expect(DOC).toContain(`\`${d.replace('\n', '\\n')}\``);
    }
  });

  it('§2 subject and pseudonym', () => {
    const id = p.normalizeSubjectId(' １１０１０５１９４９１２３１００２ｘ ');
    expect(id).toBe(block('subject-normalized'));
    expect(p.toHex(enc(p.PSEUDONYM_DOMAIN_V1 + id))).toBe(block('pseudonym-input-hex'));
    pseudonym = p.pseudonymize({ kid: 'ck-2026-01', key: new Uint8Array(32).map((_, i) => i) }, id);
    expect(pseudonym.value).toBe(block('pseudonym-value'));
  });

  it('§4.2 signal, entry and leaf hash', () => {
    const key = p.ed25519KeyPairFromSeed(seed(1));
    expect(p.toHex(key.publicKey)).toBe(block('signal-public-key-hex'));
    const body: p.SignalBody = {
      v: 1, type: 'repayment.overdue', id: 'sig-0000000000000001', issuer: 'acme', subject: pseudonym,
      issuedAt: '2026-03-15T08:00:00Z', expiresAt: '2031-03-01T00:00:00Z', consent: `sha256:${'ab'.repeat(32)}`,
      data: { product: 'consumer_installment', bucket: p.overdueBucket(45)!, amountBand: p.amountBand(732_150), asOf: '2026-02' },
    };
    expect(p.canonicalJson(body)).toBe(block('signal-body-jcs'));
    const signed = p.signSignal(body, { kid: 'acme-sig-2026', secretKey: key.secretKey });
    expect(signed.sig).toBe(block('signal-sig'));
    entry = p.encodeSignalEntry(signed);
    expect(new TextDecoder().decode(entry)).toBe(block('signal-entry'));
    expect(entry.length).toBe(537);
    expect(p.toHex(p.leafHash(entry))).toBe(block('signal-leaf-hash'));
    const lookup = () => ({ issuer: 'acme', kid: 'acme-sig-2026', publicKey: key.publicKey });
    expect(p.verifySignalEntry(enc(block('signal-entry')), { keys: lookup, now: new Date('2026-04-01T00:00:00Z') })).toEqual(signed);
  });

  it('§5 Merkle hashes and proofs', () => {
    const t = p.createMemoryTree();
    const words = ['one', 'two', 'three'].map(enc);
    t.appendEntries(words);
    expect(words.map((w) => p.toHex(p.leafHash(w))).join('\n')).toBe(block('merkle-leaves'));
    expect(p.toHex(t.root())).toBe(block('merkle-root'));
    const show = (hs: Uint8Array[]) => `[${hs.map(p.toHex).join(', ')}]`;
    expect(`inclusion(2, 3)   = ${show(p.proveInclusion(2, 3, t))}\nconsistency(2, 3) = ${show(p.proveConsistency(2, 3, t))}`).toBe(block('merkle-proofs'));
    expect(p.toHex(p.encodeEntryBundle(words))).toBe(block('bundle-hex'));
  });

  it('§6 checkpoint and cosignature', () => {
    const log = p.ed25519KeyPairFromSeed(seed(2));
    const origin = 'cn-retail/acme';
    expect(p.formatVerifierKey(origin, p.SIG_TYPE_ED25519, log.publicKey)).toBe(block('log-vkey'));
    const t = p.createMemoryTree();
    t.appendEntries([entry]);
    const note = p.signCheckpoint({ origin, size: 1, rootHash: t.root() }, [p.ed25519NoteSigner(origin, log.secretKey)]);
    expect(note).toBe(`${block('checkpoint-note')}\n`);
    const wit = p.ed25519KeyPairFromSeed(seed(3));
    const name = 'cn-retail/beta/witness';
    const wvkey = p.formatVerifierKey(name, p.SIG_TYPE_COSIGNATURE, wit.publicKey);
    expect(wvkey).toBe(block('witness-vkey'));
    const cosigned = p.addNoteSignatures(note, [p.cosignatureSigner(name, wit.secretKey, 1773561600)]);
    expect(cosigned).toBe(`${block('cosigned-note')}\n`);
    const opened = p.openCheckpoint(cosigned, { logKeys: [block('log-vkey')], otherKeys: [wvkey], origin });
    expect(opened.signatures.map((s) => s.timestamp ?? 0)).toEqual([0, 1773561600]);
  });

  it('§8.4 roster', () => {
    const body = p.validateRosterBody(JSON.parse(block('roster-body')));
    const gov = p.ed25519KeyPairFromSeed(seed(100));
    expect(body.governance[0]!.publicKey).toBe(p.toBase64(gov.publicKey));
    const member = body.members[0]!;
    const want: Record<string, Uint8Array> = {
      signal: p.ed25519KeyPairFromSeed(seed(1)).publicKey,
      log: p.ed25519KeyPairFromSeed(seed(2)).publicKey,
      witness: p.ed25519KeyPairFromSeed(seed(3)).publicKey,
      node: p.ed25519KeyPairFromSeed(seed(5)).publicKey,
      x25519: p.x25519KeyPairFromSeed(seed(4)).publicKey,
    };
    for (const k of member.keys) expect(k.publicKey).toBe(p.toBase64(want[k.use]!));
    const signed = p.signRoster(body, { kid: 'gov-1', secretKey: gov.secretKey });
    expect(signed.sig).toBe(block('roster-sig'));
    expect(p.verifyRoster(p.decodeRoster(p.encodeRoster(signed)), { anchors: body.governance })).toEqual(body);
  });
});
