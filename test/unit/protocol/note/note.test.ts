import { describe, it, expect, beforeAll } from 'vitest';
import { ready } from '../../../../protocol/crypto/sodium';
import { ed25519KeyPairFromSeed } from '../../../../protocol/crypto/ed25519';
import {
  formatVerifierKey, parseVerifierKey, ed25519NoteSigner, cosignatureSigner, noteKeyId, formatSignerKey, parseSignerKey,
  SIG_TYPE_ED25519, SIG_TYPE_COSIGNATURE,
} from '../../../../protocol/note/keys';
import { openNote, signNote, addNoteSignatures, parseNote } from '../../../../protocol/note/note';
import { ProtocolError } from '../../../../protocol/errors';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'OK';
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
};

beforeAll(ready);

describe('C2SP signed-note', () => {
  // c2sp.org/signed-note "Verifier keys" > "Example".
  const vkey = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
  const note = 'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

  it('verifies the spec example', () => {
    expect(openNote(note, [vkey])).toEqual({ text: 'This is an example message.\n', signatures: [{ name: 'example.com/foo', keyId: 0x530d903a }] });
    const v = parseVerifierKey(vkey);
    expect(formatVerifierKey(v.name, SIG_TYPE_ED25519, v.publicKey)).toBe(vkey);
  });

  it('applies the unknown / failing key rules', () => {
    const kp = ed25519KeyPairFromSeed(new Uint8Array(32).fill(5));
    const other = ed25519KeyPairFromSeed(new Uint8Array(32).fill(6));
    const mine = formatVerifierKey('example.com/foo', SIG_TYPE_ED25519, kp.publicKey); // same name, other id
    const otherVkey = formatVerifierKey('example.com/other', SIG_TYPE_ED25519, other.publicKey);
    // unknown signatures (same name but different id) are ignored; no known key verifies -> reject
    expect(codeOf(() => openNote(note, [mine]))).toBe('NOTE_NO_VERIFIED_SIGNATURE');
    // extra unknown signature lines are ignored when a known one verifies
    const both = addNoteSignatures(note, [ed25519NoteSigner('example.com/foo', kp.secretKey)]);
    expect(openNote(both, [vkey]).signatures).toHaveLength(1);
    expect(openNote(both, [vkey, mine]).signatures.map((s) => s.keyId)).toEqual([0x530d903a, noteKeyId('example.com/foo', 1, kp.publicKey)]);
    // a known key whose signature fails rejects the whole note
    const forged = note.replace('Uw2QOkn8', 'Uw2QOkn9');
    expect(codeOf(() => openNote(forged, [vkey, otherVkey]))).toBe('NOTE_BAD_SIGNATURE');
    const altered = note.replace('example message', 'exemplary message');
    expect(codeOf(() => openNote(altered, [vkey]))).toBe('NOTE_BAD_SIGNATURE');
  });

  it('rejects malformed notes and keys', () => {
    const cases: [string, string][] = [
      ['no blank line', 'text\n\u2014 example.com/foo AAAAAAA=\n'],
      ['no final newline', note.slice(0, -1)],
      ['control character', `tab\there${note}`],
      ['bad signature line', 'text\n\n- example.com/foo AAAAAAAA\n'],
      ['short signature', 'text\n\n\u2014 example.com/foo AAAA\n'],
      ['bad base64', 'text\n\n\u2014 example.com/foo !!!!\n'],
    ];
    for (const [, n] of cases) expect(codeOf(() => openNote(n, [vkey]))).toBe('NOTE_MALFORMED');
    expect(codeOf(() => parseVerifierKey('example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k'))).toBe('VKEY_MALFORMED');
    expect(codeOf(() => parseVerifierKey('a b+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k'))).toBe('VKEY_MALFORMED');
    const many = 'text\n\n' + '\u2014 x AAAAAAAA\n'.repeat(101);
    expect(codeOf(() => parseNote(many))).toBe('NOTE_TOO_MANY_SIGNATURES');
  });

  it('signs with several keys and round-trips signer keys', () => {
    const seed = new Uint8Array(32).fill(7);
    const skey = formatSignerKey('log.example/a', SIG_TYPE_ED25519, seed);
    const signer = parseSignerKey(skey);
    const vk = formatVerifierKey('log.example/a', SIG_TYPE_ED25519, signer.publicKey);
    const kp2 = ed25519KeyPairFromSeed(new Uint8Array(32).fill(8));
    const signed = signNote('hello\n', [signer, ed25519NoteSigner('log.example/b', kp2.secretKey)]);
    expect(parseNote(signed).signatures.map((s) => s.name)).toEqual(['log.example/a', 'log.example/b']);
    expect(openNote(signed, [vk, formatVerifierKey('log.example/b', SIG_TYPE_ED25519, kp2.publicKey)]).signatures).toHaveLength(2);
    expect(codeOf(() => signNote('no newline', [signer]))).toBe('NOTE_MALFORMED');
  });

  it('verifies timestamped cosignatures (type 0x04)', () => {
    const kp = ed25519KeyPairFromSeed(new Uint8Array(32).fill(9));
    const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const cosigned = signNote(text, [cosignatureSigner('witness.example.com/w1', kp.secretKey, 1679315147)]);
    const vk = formatVerifierKey('witness.example.com/w1', SIG_TYPE_COSIGNATURE, kp.publicKey);
    expect(openNote(cosigned, [vk]).signatures).toEqual([{ name: 'witness.example.com/w1', keyId: noteKeyId('witness.example.com/w1', 4, kp.publicKey), timestamp: 1679315147 }]);
    // a 0x01 key over the same public key has a different id, so the cosignature is "unknown" to it
    expect(codeOf(() => openNote(cosigned, [formatVerifierKey('witness.example.com/w1', SIG_TYPE_ED25519, kp.publicKey)]))).toBe('NOTE_NO_VERIFIED_SIGNATURE');
    const sig = parseNote(cosigned).signatures[0]!.sig;
    expect(sig.length).toBe(72);
    expect(Buffer.from(sig.subarray(0, 8)).readBigUInt64BE(0)).toBe(1679315147n);
  });
});
