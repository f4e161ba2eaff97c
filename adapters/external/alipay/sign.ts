/**
 * Alipay OpenAPI gateway RSA2 signing and response verification.
 *
 * Request: sort all parameters except `sign` by name (ASCII order), drop empty
 * values, join as `k=v` with `&` (values not URL-encoded), sign the UTF-8 bytes
 * with SHA256withRSA, base64. Response: the gateway signs the raw JSON text of
 * the `<method>_response` member (or `error_response`) exactly as it appears in
 * the body; that substring is extracted, never re-serialized.
 */
import { signSha256Rsa, verifySha256Rsa } from '../shared/rsa';

/** Build the string to sign from request parameters (`sign` excluded, empty values skipped). */
export function buildSignContent(params: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign')
    .filter((k) => {
      const v = params[k];
      return v !== undefined && v !== '';
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** SHA256withRSA over UTF-8 `content`, base64 (the gateway's RSA2). */
export const signRsa2 = signSha256Rsa;

/** Verify a base64 RSA2 signature over UTF-8 `content`. */
export const verifyRsa2 = verifySha256Rsa;

const pad = (n: number): string => String(n).padStart(2, '0');

/** Gateway `timestamp`: `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai (UTC+8, no DST). */
export function alipayTimestamp(at: Date): string {
  const t = new Date(at.getTime() + 8 * 3600_000);
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`
  );
}

/** Response member name for a method: `zhima.credit.score.get` -> `zhima_credit_score_get_response`. */
export function responseKey(method: string): string {
  return `${method.replace(/\./g, '_')}_response`;
}

/** End index (exclusive) of the JSON value starting at `start` (an object), or -1. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The raw `"<key>": {...}` value text of a top-level member, or null when absent. */
export function extractMemberText(body: string, key: string): string | null {
  const needle = `"${key}"`;
  let from = 0;
  while (from < body.length) {
    const at = body.indexOf(needle, from);
    if (at < 0) return null;
    let i = at + needle.length;
    while (i < body.length && /\s/.test(body[i] ?? '')) i++;
    if (body[i] !== ':') {
      from = at + 1;
      continue;
    }
    i++;
    while (i < body.length && /\s/.test(body[i] ?? '')) i++;
    if (body[i] !== '{') return null;
    const end = endOfObject(body, i);
    return end < 0 ? null : body.slice(i, end);
  }
  return null;
}

/** The signed part of a gateway response: the method's member, else `error_response`. */
export function extractSignedResponse(body: string, method: string): { key: string; text: string } | null {
  for (const key of [responseKey(method), 'error_response']) {
    const text = extractMemberText(body, key);
    if (text !== null) return { key, text };
  }
  return null;
}
