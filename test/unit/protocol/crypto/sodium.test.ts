import { describe, it, expect } from 'vitest';
import { ready, getSodium } from '../../../../protocol/crypto/sodium';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify } from '../../../../protocol/crypto/ed25519';
import { fromBase64, fromBase64Url, toBase64, toBase64Url } from '../../../../protocol/crypto/base64';

describe('crypto setup', () => {
  // vitest runs each file in its own process (pool: forks), so libsodium is not initialised yet here.
  it('refuses crypto before ready(), works after', async () => {
    expect(() => getSodium()).toThrow(/NOT_READY/);
    expect(() => ed25519KeyPairFromSeed(new Uint8Array(32))).toThrow(/NOT_READY/);
    await ready();
    await ready();
    const kp = ed25519KeyPairFromSeed(new Uint8Array(32));
    // RFC 8032 §7.1 TEST 1 uses seed 9d61...; seed zero gives this well-known public key.
    expect(Buffer.from(kp.publicKey).toString('hex')).toBe('3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29');
    const sig = ed25519Sign(new Uint8Array([1, 2, 3]), kp.secretKey);
    expect(ed25519Verify(sig, new Uint8Array([1, 2, 3]), kp.publicKey)).toBe(true);
    expect(ed25519Verify(sig, new Uint8Array([1, 2, 4]), kp.publicKey)).toBe(false);
    expect(ed25519Verify(sig.subarray(1), new Uint8Array([1, 2, 3]), kp.publicKey)).toBe(false);
  });

  it('verifies RFC 8032 §7.1 TEST 1', async () => {
    await ready();
    const kp = ed25519KeyPairFromSeed(new Uint8Array(Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex')));
    expect(Buffer.from(kp.publicKey).toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(Buffer.from(ed25519Sign(new Uint8Array(0), kp.secretKey)).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  it('decodes only canonical base64 and base64url', () => {
    expect(toBase64(new Uint8Array([251, 255]))).toBe('+/8=');
    expect(toBase64Url(new Uint8Array([251, 255]))).toBe('-_8');
    expect(fromBase64('+/8=')).toEqual(new Uint8Array([251, 255]));
    expect(fromBase64Url('-_8')).toEqual(new Uint8Array([251, 255]));
    for (const bad of ['+/8', '+/9=', '+/8==', ' +/8=', '-_8=']) expect(() => fromBase64(bad)).toThrow(/KEY_INVALID/);
    for (const bad of ['-_8=', '-_9', '+/8', 'a']) expect(() => fromBase64Url(bad)).toThrow(/KEY_INVALID/);
  });
});
