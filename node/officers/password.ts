import { scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Officer password hashing with scrypt (RFC 7914), a memory-hard KDF, through `node:crypto` so hashing runs on
 * libuv's thread pool and never blocks the event loop. Hashes are self-describing strings
 * `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>`, so parameters can be raised later: a hash made with
 * weaker parameters still verifies and {@link needsRehash} says to replace it at the next sign-in.
 */

/** scrypt cost parameters. */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  r: number;
  p: number;
}

/**
 * Defaults: N = 2^17, r = 8, p = 1 (128 MiB, the OWASP Password Storage Cheat Sheet minimum for scrypt);
 * about 0.3 s per hash on one core.
 */
export const defaultScryptParams: ScryptParams = { logN: 17, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Longest password accepted (bytes of UTF-8); longer inputs are refused before hashing. */
export const MAX_PASSWORD_BYTES = 1024;
/** Shortest password accepted when creating an account. */
export const MIN_PASSWORD_CHARS = 12;

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function derive(password: string, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  const maxmem = 128 * N * params.r * params.p + 128 * params.r * 1024 + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes `password` with a fresh `salt` (from the caller's randomness source). */
export async function hashPassword(password: string, salt: Uint8Array, params: ScryptParams = defaultScryptParams): Promise<string> {
  if (salt.length !== SALT_BYTES) throw new Error(`salt must be ${SALT_BYTES} bytes`);
  const key = await derive(password, salt, params);
  return `scrypt$${params.logN}$${params.r}$${params.p}$${b64(salt)}$${b64(key)}`;
}

/** The salt length {@link hashPassword} expects. */
export const saltBytes = SALT_BYTES;

interface Parsed { params: ScryptParams; salt: Buffer; key: Buffer }

function parse(stored: string): Parsed | null {
  const m = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/.exec(stored);
  if (!m) return null;
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.logN < 1 || params.logN > 22 || params.r < 1 || params.p < 1) return null;
  return { params, salt: Buffer.from(m[4]!, 'base64url'), key: Buffer.from(m[5]!, 'base64url') };
}

/** True when `password` matches `stored` (constant-time comparison). A malformed `stored` never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when `stored` was made with weaker parameters than `params` (rehash it after a successful sign-in). */
export function needsRehash(stored: string, params: ScryptParams = defaultScryptParams): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  return parsed.params.logN < params.logN || parsed.params.r < params.r || parsed.params.p < params.p;
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_CHARS) return `passwords need at least ${MIN_PASSWORD_CHARS} characters`;
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return `passwords are limited to ${MAX_PASSWORD_BYTES} bytes`;
  if (/[\u0000-\u001f\u007f]/.test(password)) return 'passwords may not contain control characters';
  return null;
}
