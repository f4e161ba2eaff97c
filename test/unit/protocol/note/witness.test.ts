import { describe, it, expect, beforeAll } from 'vitest';
import { ready } from '../../../../protocol/crypto/sodium';
import { ed25519KeyPairFromSeed } from '../../../../protocol/crypto/ed25519';
import { formatAddCheckpoint, parseAddCheckpoint, evaluateAddCheckpoint } from '../../../../protocol/note/witness';
import { signCheckpoint } from '../../../../protocol/note/checkpoint';
import { ed25519NoteSigner, formatVerifierKey, SIG_TYPE_ED25519 } from '../../../../protocol/note/keys';
import { createMemoryTree } from '../../../../protocol/merkle/memory';
import { proveConsistency } from '../../../../protocol/merkle/prove';

beforeAll(ready);

describe('C2SP tlog-witness add-checkpoint', () => {
  it('formats, parses and decides requests with the spec statuses', () => {
    const origin = 'cn-retail/acme';
    const log = ed25519KeyPairFromSeed(new Uint8Array(32).fill(2));
    const other = ed25519KeyPairFromSeed(new Uint8Array(32).fill(9));
    const keys = (o: string) => (o === origin ? [formatVerifierKey(origin, SIG_TYPE_ED25519, log.publicKey)] : undefined);
    const t = createMemoryTree();
    t.appendEntries(Array.from({ length: 20 }, (_, i) => new TextEncoder().encode(`e${i}`)));
    const cp = (size: number, signer = log.secretKey, o = origin) => signCheckpoint({ origin: o, size, rootHash: t.root(size) }, [ed25519NoteSigner(o, signer)]);
    const body = formatAddCheckpoint({ oldSize: 8, proof: proveConsistency(8, 20, t), checkpoint: cp(20) });
    expect(body.startsWith('old 8\n')).toBe(true);
    expect(parseAddCheckpoint(body).proof).toHaveLength(proveConsistency(8, 20, t).length);
    const state = { size: 8, rootHash: t.root(8) };
    const ok = evaluateAddCheckpoint(body, keys, state);
    expect(ok.ok && ok.checkpoint.size).toBe(20);
    expect(evaluateAddCheckpoint(body, keys, { size: 9, rootHash: t.root(9) })).toMatchObject({ status: 409, latestSize: 9 });
    expect(evaluateAddCheckpoint(body, keys, { size: 8, rootHash: t.root(7) })).toMatchObject({ status: 422 });
    expect(evaluateAddCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: cp(20) }), keys, undefined)).toMatchObject({ status: 200 });
    expect(evaluateAddCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [t.root(1)], checkpoint: cp(20) }), keys, undefined)).toMatchObject({ status: 422 });
    expect(evaluateAddCheckpoint(formatAddCheckpoint({ oldSize: 21, proof: [], checkpoint: cp(20) }), keys, state)).toMatchObject({ status: 400 });
    expect(evaluateAddCheckpoint(formatAddCheckpoint({ oldSize: 8, proof: [], checkpoint: cp(20, other.secretKey) }), keys, state)).toMatchObject({ status: 403 });
    expect(evaluateAddCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: cp(20, log.secretKey, 'cn-retail/zeta') }), keys, undefined)).toMatchObject({ status: 404 });
    expect(evaluateAddCheckpoint('old 01\n\nx', keys, undefined)).toMatchObject({ status: 400 });
  });
});
