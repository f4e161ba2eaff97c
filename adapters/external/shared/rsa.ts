/**
 * SHA256withRSA (RSASSA-PKCS1-v1_5 with SHA-256), the signature both Alipay
 * (RSA2) and WeChat Pay API v3 use, over UTF-8 text with base64 signatures.
 */
import { sign as rsaSign, verify as rsaVerify, type KeyObject } from 'node:crypto';

/** Sign UTF-8 `content`; base64 result. */
export function signSha256Rsa(content: string, privateKey: KeyObject): string {
  return rsaSign('sha256', Buffer.from(content, 'utf8'), privateKey).toString('base64');
}

/** Verify a base64 signature over UTF-8 `content`; false on any malformed input. */
export function verifySha256Rsa(content: string, signature: string, publicKey: KeyObject): boolean {
  if (signature.length === 0 || signature.length > 4096 || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return rsaVerify('sha256', Buffer.from(content, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
