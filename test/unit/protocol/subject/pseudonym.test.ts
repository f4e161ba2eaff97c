import { describe, it, expect, beforeAll } from 'vitest';
import { createHmac } from 'node:crypto';
import { ready } from '../../../../protocol/crypto/sodium';
import { pseudonymize } from '../../../../protocol/subject/pseudonym';
import { sealConsortiumKey, openConsortiumKey, x25519KeyPairFromSeed } from '../../../../protocol/subject/seal';
import { ProtocolError } from '../../../../protocol/errors';

const key = { kid: 'ck-2026-01', key: new Uint8Array(32).map((_, i) => i) };

describe('pseudonymize', () => {
  it('is HMAC-SHA256 over the domain-separated normalized id, base64url without padding', () => {
    const id = 'cn-rid:11010519491231002X';
    const want = createHmac('sha256', key.key).update(`consortium-subject/v1\n${id}`).digest('base64url');
    expect(pseudonymize(key, id)).toEqual({ kid: 'ck-2026-01', value: want });
    expect(want).toHaveLength(43);
  });
  it('refuses non-normalized ids and bad keys', () => {
    expect(() => pseudonymize(key, '13800138000')).toThrow(ProtocolError);
    expect(() => pseudonymize({ kid: 'k', key: new Uint8Array(16) }, 'tel:+8613800138000')).toThrow(/PSEUDONYM_KEY_INVALID/);
    expect(() => pseudonymize({ kid: 'bad kid', key: key.key }, 'tel:+8613800138000')).toThrow(/PSEUDONYM_KEY_INVALID/);
  });
});

describe('sealed consortium key', () => {
  beforeAll(ready);
  it('round-trips through crypto_box_seal', () => {
    const member = x25519KeyPairFromSeed(new Uint8Array(32).fill(9));
    const sealed = sealConsortiumKey(key, member.publicKey);
    expect(sealed.length).toBe(48 + 'consortium-key/v1\n'.length + key.kid.length + 1 + 32);
    expect(openConsortiumKey(sealed, member)).toEqual(key);
  });
  it('fails with the wrong key pair or a tampered box', () => {
    const member = x25519KeyPairFromSeed(new Uint8Array(32).fill(9));
    const other = x25519KeyPairFromSeed(new Uint8Array(32).fill(8));
    const sealed = sealConsortiumKey(key, member.publicKey);
    expect(() => openConsortiumKey(sealed, other)).toThrow(/SEAL_OPEN_FAILED/);
    sealed[sealed.length - 1]! ^= 1;
    expect(() => openConsortiumKey(sealed, member)).toThrow(/SEAL_OPEN_FAILED/);
  });
});
