import { describe, it, expect, beforeAll } from 'vitest';
import { ready } from '../../../../protocol/crypto/sodium';
import { ed25519KeyPairFromSeed } from '../../../../protocol/crypto/ed25519';
import { formatCheckpoint, parseCheckpoint, signCheckpoint, openCheckpoint } from '../../../../protocol/note/checkpoint';
import { openNote, addNoteSignatures } from '../../../../protocol/note/note';
import { formatVerifierKey, ed25519NoteSigner, cosignatureSigner, SIG_TYPE_ED25519, SIG_TYPE_COSIGNATURE } from '../../../../protocol/note/keys';
import { tesseraFile, tesseraVerifierKey } from '../../../fixtures/protocol/vectors';

beforeAll(ready);

describe('C2SP tlog-checkpoint', () => {
  it('verifies every Tessera checkpoint with its verifier key', () => {
    const vkey = tesseraVerifierKey();
    for (let n = 0; n <= 15; n++) {
      const note = new TextDecoder().decode(tesseraFile(`checkpoint.${n}`));
      const { text } = openNote(note, [vkey]);
      const cp = parseCheckpoint(text);
      expect(cp.origin).toBe('example.com/log/testdata');
      expect(cp.size).toBe(n);
      expect(formatCheckpoint(cp)).toBe(text);
      expect(openCheckpoint(note, { logKeys: [vkey], origin: 'example.com/log/testdata' }).size).toBe(n);
    }
  });

  it('formats and parses the spec example', () => {
    const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const cp = parseCheckpoint(text);
    expect(cp).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] });
    expect(formatCheckpoint(cp)).toBe(text);
    expect(parseCheckpoint(`${text}ext one\n`).extensions).toEqual(['ext one']);
  });

  it.each([
    ['two lines', 'o\n1\n'],
    ['leading zero', 'o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['negative', 'o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['short root', 'o\n1\nCsUYapGGPo4dkMgI\n'],
    ['empty origin', '\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['empty extension', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n'],
    ['no final newline', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='],
  ])('rejects %s', (_n, text) => {
    expect(() => parseCheckpoint(text)).toThrow(/CHECKPOINT_MALFORMED/);
  });

  it('requires the log key named after the origin and verifies cosignatures', () => {
    const log = ed25519KeyPairFromSeed(new Uint8Array(32).fill(3));
    const wit = ed25519KeyPairFromSeed(new Uint8Array(32).fill(4));
    const origin = 'consortium.example/acme';
    const logVkey = formatVerifierKey(origin, SIG_TYPE_ED25519, log.publicKey);
    const witVkey = formatVerifierKey('beta.example/witness', SIG_TYPE_COSIGNATURE, wit.publicKey);
    const note = signCheckpoint({ origin, size: 3, rootHash: new Uint8Array(32).fill(1) }, [ed25519NoteSigner(origin, log.secretKey)]);
    const cosigned = addNoteSignatures(note, [cosignatureSigner('beta.example/witness', wit.secretKey, 1_700_000_000)]);
    const opened = openCheckpoint(cosigned, { logKeys: [logVkey], otherKeys: [witVkey] });
    expect(opened.signatures.map((s) => s.name)).toEqual([origin, 'beta.example/witness']);
    expect(() => openCheckpoint(cosigned, { logKeys: [witVkey] })).toThrow(/NOTE_NO_VERIFIED_SIGNATURE/);
    expect(() => openCheckpoint(cosigned, { logKeys: [logVkey], origin: 'consortium.example/beta' })).toThrow(/CHECKPOINT_MALFORMED/);
    const wrongName = signCheckpoint({ origin, size: 3, rootHash: new Uint8Array(32) }, [ed25519NoteSigner('other.example/log', log.secretKey)]);
    expect(() => openCheckpoint(wrongName, { logKeys: [formatVerifierKey('other.example/log', SIG_TYPE_ED25519, log.publicKey)] })).toThrow(/NOTE_NO_VERIFIED_SIGNATURE/);
  });
});
