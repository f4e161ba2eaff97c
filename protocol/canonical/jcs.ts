/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), via the maintained `canonicalize` package
 * (ES2015 number serialization, keys sorted by UTF-16 code units, lone surrogates rejected).
 * This wrapper restricts input to plain JSON values so nothing JCS cannot represent slips through.
 */
import canonicalize from 'canonicalize';
import { ProtocolError } from '../errors';

/** A JSON value as JCS understands it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function assertJson(v: unknown, depth: number): void {
  if (depth > 32) throw new ProtocolError('CANONICAL_JSON', 'JSON nested deeper than 32 levels');
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ProtocolError('CANONICAL_JSON', 'non-finite number');
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) assertJson(x, depth + 1);
    return;
  }
  const proto: unknown = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  if (proto === Object.prototype || proto === null) {
    for (const x of Object.values(v as object)) assertJson(x, depth + 1);
    return;
  }
  throw new ProtocolError('CANONICAL_JSON', `value of type ${typeof v} is not JSON`);
}

/** RFC 8785 canonical JSON text of `value`; throws `CANONICAL_JSON` for non-JSON input. */
export function canonicalJson(value: unknown): string {
  assertJson(value, 0);
  let out: string | undefined;
  try {
    out = canonicalize(value);
  } catch (cause) {
    throw new ProtocolError('CANONICAL_JSON', 'value cannot be canonicalized (RFC 8785)', { cause });
  }
  if (out === undefined) throw new ProtocolError('CANONICAL_JSON', 'value cannot be canonicalized (RFC 8785)');
  return out;
}

/**
 * RFC 8785 canonical text of JSON data already validated to hold only objects, arrays, finite
 * numbers, booleans, null and well-formed strings (e.g. a schema-checked signal): keys sorted by
 * UTF-16 code units, primitives serialized by `JSON.stringify` (which equals RFC 8785 §3.2.2 for
 * those values). Skips the generic checks, for hot paths; never call it on unvalidated input.
 */
export function canonicalJsonOfValidated(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJsonOfValidated).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${canonicalJsonOfValidated(obj[k])}`;
  }
  return `${out}}`;
}

/** UTF-8 bytes of the RFC 8785 canonical form of `value`. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
