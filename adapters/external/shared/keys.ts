/**
 * RSA key parsing for provider credentials. Providers hand keys out in several
 * shapes: PEM (PKCS#8, PKCS#1, SPKI, X.509 certificate) or the bare base64 DER
 * that the Alipay console shows. All become node:crypto KeyObjects here.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

function der(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('key is neither PEM nor base64 DER');
  return Buffer.from(compact, 'base64');
}

/** Parse a private key from PEM or bare base64 DER (PKCS#8 first, then PKCS#1). */
export function parsePrivateKey(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPrivateKey(text);
  const bytes = der(text);
  try {
    return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
  } catch {
    return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs1' });
  }
}

/** Parse a public key from PEM (SPKI, PKCS#1 or an X.509 certificate) or bare base64 SPKI DER. */
export function parsePublicKey(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPublicKey(text);
  const bytes = der(text);
  try {
    return createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  } catch {
    return createPublicKey({ key: bytes, format: 'der', type: 'pkcs1' });
  }
}

/** A key given either as parsed KeyObject or as text. */
export type PublicKeyInput = KeyObject | string;

/** Normalize a public key input to a KeyObject. */
export function toPublicKey(key: PublicKeyInput): KeyObject {
  return typeof key === 'string' ? parsePublicKey(key) : key;
}
