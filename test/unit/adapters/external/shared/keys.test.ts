import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { parsePrivateKey, parsePublicKey } from '../../../../../adapters/external/shared/keys';
import { signSha256Rsa, verifySha256Rsa } from '../../../../../adapters/external/shared/rsa';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (b: Buffer | string) => (typeof b === 'string' ? b : b.toString('base64'));

describe('provider key formats', () => {
  it.each([
    ['PKCS#8 PEM', privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
    ['PKCS#1 PEM', privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()],
    ['bare base64 PKCS#8 (Alipay console)', b64(privateKey.export({ format: 'der', type: 'pkcs8' }))],
    ['bare base64 PKCS#1', b64(privateKey.export({ format: 'der', type: 'pkcs1' }))],
  ])('private key as %s signs verifiably', (_n, text) => {
    const sig = signSha256Rsa('msg', parsePrivateKey(text));
    expect(verifySha256Rsa('msg', sig, publicKey)).toBe(true);
  });

  it.each([
    ['SPKI PEM', publicKey.export({ format: 'pem', type: 'spki' }).toString()],
    ['PKCS#1 PEM', publicKey.export({ format: 'pem', type: 'pkcs1' }).toString()],
    ['bare base64 SPKI (Alipay console)', b64(publicKey.export({ format: 'der', type: 'spki' }))],
  ])('public key as %s verifies', (_n, text) => {
    expect(verifySha256Rsa('msg', signSha256Rsa('msg', privateKey), parsePublicKey(text))).toBe(true);
  });

  it('rejects text that is no key, and malformed signatures without throwing', () => {
    expect(() => parsePublicKey('not a key!')).toThrow();
    expect(verifySha256Rsa('msg', 'not base64!', publicKey)).toBe(false);
    expect(verifySha256Rsa('msg', '', publicKey)).toBe(false);
  });
});
