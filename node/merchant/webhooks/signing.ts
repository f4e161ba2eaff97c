/**
 * Webhook signatures in the Standard Webhooks layout (standardwebhooks.com, "Signature scheme"): the signed content
 * is `${webhook-id}.${webhook-timestamp}.${body}`, signed with HMAC-SHA256 under the endpoint's secret
 * (`whsec_` + base64 of the key bytes); `webhook-signature` is `v1,<base64 MAC>` (space-separated when several).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { timingSafeEqual } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new endpoint secret from `random` (24 bytes, 192 bits). */
export const newWebhookSecret = (random: (n: number) => Uint8Array): string => PREFIX + Buffer.from(random(24)).toString('base64');

/** The key bytes of a `whsec_` secret. */
export function secretKey(secret: string): Uint8Array {
  if (!secret.startsWith(PREFIX)) throw new Error('webhook secrets start with whsec_');
  return new Uint8Array(Buffer.from(secret.slice(PREFIX.length), 'base64'));
}

/** `v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`; `timestamp` in whole seconds since the epoch. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = hmac(sha256, secretKey(secret), new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${Buffer.from(mac).toString('base64')}`;
}

/**
 * What a receiver does: recomputes the signature, compares in constant time against each `v1,` entry of the
 * header, and refuses timestamps more than `toleranceSeconds` away from `nowSeconds` (replay window).
 */
export function verifyWebhook(secret: string, headers: { id: string; timestamp: string; signature: string }, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!/^\d{1,12}$/.test(headers.timestamp)) return false;
  const ts = Number(headers.timestamp);
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const want = Buffer.from(signWebhook(secret, headers.id, ts, body).slice(3), 'base64');
  return headers.signature.split(' ').some((entry) => {
    const [version, sig] = entry.split(',', 2);
    if (version !== 'v1' || !sig) return false;
    const got = Buffer.from(sig, 'base64');
    return got.length === want.length && timingSafeEqual(got, want);
  });
}
