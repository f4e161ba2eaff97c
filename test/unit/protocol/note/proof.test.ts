import { describe, it, expect, beforeAll } from 'vitest';
import { ready } from '../../../../protocol/crypto/sodium';
import { ed25519KeyPairFromSeed } from '../../../../protocol/crypto/ed25519';
import { formatTlogProof, parseTlogProof, verifyTlogProof } from '../../../../protocol/note/proof';
import { signCheckpoint } from '../../../../protocol/note/checkpoint';
import { addNoteSignatures } from '../../../../protocol/note/note';
import { ed25519NoteSigner, cosignatureSigner, formatVerifierKey, SIG_TYPE_ED25519, SIG_TYPE_COSIGNATURE } from '../../../../protocol/note/keys';
import { createMemoryTree } from '../../../../protocol/merkle/memory';
import { proveInclusion } from '../../../../protocol/merkle/prove';
import { leafHash } from '../../../../protocol/merkle/hash';

beforeAll(ready);

describe('C2SP tlog-proof', () => {
  it('formats, parses and verifies with a witness quorum', () => {
    const origin = 'cn-retail/acme';
    const log = ed25519KeyPairFromSeed(new Uint8Array(32).fill(2));
    const wit = ed25519KeyPairFromSeed(new Uint8Array(32).fill(3));
    const wname = 'cn-retail/beta/witness';
    const t = createMemoryTree();
    const entries = Array.from({ length: 10 }, (_, i) => new TextEncoder().encode(`entry ${i}`));
    t.appendEntries(entries);
    const note = addNoteSignatures(
      signCheckpoint({ origin, size: 10, rootHash: t.root() }, [ed25519NoteSigner(origin, log.secretKey)]),
      [cosignatureSigner(wname, wit.secretKey, 1_780_000_000)],
    );
    const text = formatTlogProof({ index: 7, proof: proveInclusion(7, 10, t), checkpoint: note, extra: new Uint8Array([1, 2]) });
    expect(text.startsWith('c2sp.org/tlog-proof@v1\nextra AQI=\nindex 7\n')).toBe(true);
    expect(parseTlogProof(text)).toMatchObject({ index: 7, checkpoint: note, extra: new Uint8Array([1, 2]) });
    const opts = {
      logKeys: [formatVerifierKey(origin, SIG_TYPE_ED25519, log.publicKey)],
      witnessKeys: [formatVerifierKey(wname, SIG_TYPE_COSIGNATURE, wit.publicKey)],
      origin,
      minWitnesses: 1,
    };
    expect(verifyTlogProof(text, leafHash(entries[7]!), opts).index).toBe(7);
    expect(() => verifyTlogProof(text, leafHash(entries[6]!), opts)).toThrow(/MERKLE_RANGE/);
    expect(() => verifyTlogProof(text, leafHash(entries[7]!), { ...opts, minWitnesses: 2 })).toThrow(/NOTE_NO_VERIFIED_SIGNATURE/);
    expect(() => verifyTlogProof(text, leafHash(entries[7]!), { ...opts, origin: 'cn-retail/beta' })).toThrow(/CHECKPOINT_MALFORMED/);
    expect(() => parseTlogProof(text.replace('index 7', 'index 07'))).toThrow(/CHECKPOINT_MALFORMED/);
    expect(() => parseTlogProof(text.replace('c2sp.org/tlog-proof@v1', 'tlog-proof'))).toThrow(/CHECKPOINT_MALFORMED/);
  });
});
