/**
 * Natural keys and content hashes of standard records (docs/data-standard.md §5.1-5.2).
 *
 * A natural key identifies a record within one member's data: importing a record whose key is
 * already stored updates that record; importing it with the same content hash changes nothing.
 */
import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EntityName, EntityRecord } from './entities';

/** The fields forming each entity's natural key, in key order (§5.1). */
export const NATURAL_KEY_FIELDS = {
  customer: ['customerRef'],
  order: ['orderRef'],
  creditLine: ['creditLineRef'],
  installment: ['creditLineRef', 'installmentNo'],
  refund: ['refundRef'],
  dispute: ['disputeRef'],
  fraudCase: ['caseRef'],
  violation: ['violationRef'],
} as const satisfies { [E in EntityName]: readonly (keyof EntityRecord<E>)[] };

/**
 * Natural key string of a record: `<entity>:<part>[#<part>]`, e.g. `order:SO-1` or
 * `installment:CL-7#3`. Parts are refs (no control characters) or integers; for composite keys
 * the integer part comes last, so the last `#` separates unambiguously.
 */
export function naturalKey<E extends EntityName>(entity: E, record: EntityRecord<E>): string {
  const fields = NATURAL_KEY_FIELDS[entity] as readonly string[];
  const parts = fields.map((f) => String((record as Record<string, unknown>)[f]));
  return `${entity}:${parts.join('#')}`;
}

/**
 * {@link naturalKey} compiled for one entity: the same strings, without a temporary array per
 * record (the import's hot path).
 */
export function naturalKeyOf<E extends EntityName>(entity: E): (record: EntityRecord<E>) => string {
  const fields = NATURAL_KEY_FIELDS[entity] as readonly string[];
  const prefix = `${entity}:`;
  const [a, b] = fields;
  if (fields.length === 1) return (r) => prefix + String((r as Record<string, unknown>)[a!]);
  if (fields.length === 2) return (r) => `${prefix}${String((r as Record<string, unknown>)[a!])}#${String((r as Record<string, unknown>)[b!])}`;
  return (r) => naturalKey(entity, r);
}

/** Natural key of a record of `entity` referenced by `ref` (single-field keys only). */
export function refKey(entity: EntityName, ref: string): string {
  return `${entity}:${ref}`;
}

/**
 * Content hash of a record (§5.2): lower-case hex SHA-256 of its RFC 8785 canonical JSON.
 * Equal records hash equally whatever their field order; any changed field changes the hash.
 */
export function contentHash(record: object): string {
  return contentHashOfJson(canonicalJson(record));
}

/**
 * Content hash (§5.2) of a record given its RFC 8785 canonical JSON `json` (as {@link canonicalJson}
 * returns it): `contentHashOfJson(canonicalJson(r)) === contentHash(r)`.
 */
export function contentHashOfJson(json: string): string {
  return hash('sha256', json, 'hex');
}

/**
 * RFC 8785 JSON of a record. Flat records of strings, finite numbers and booleans (all standard
 * records) take a fast path — sorted keys, ECMAScript JSON serialization of each value, which is
 * exactly what RFC 8785 §3.2 prescribes for them; anything else goes through `canonicalize`.
 */
export function canonicalJson(record: object): string {
  const r = record as Record<string, unknown>;
  const keys = Object.keys(r);
  let sortedAlready = true;
  let clean = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = r[k];
    const t = typeof v;
    // integer-like keys would be re-ordered by the engine: leave those to canonicalize
    const c0 = k.charCodeAt(0);
    if (!(t === 'string' || t === 'boolean' || t === 'undefined' || (t === 'number' && Number.isFinite(v))) || (c0 >= 48 && c0 <= 57 && /^\d+$/.test(k))) {
      const json = canonicalize(record);
      if (json === undefined) throw new Error('record is not serializable');
      return json;
    }
    if (t === 'undefined') clean = false;
    if (i > 0 && compareUtf16(keys[i - 1]!, k) > 0) sortedAlready = false;
  }
  if (sortedAlready && clean) return JSON.stringify(r);
  const sorted: Record<string, unknown> = {};
  for (const k of keys.sort(compareUtf16)) if (r[k] !== undefined) sorted[k] = r[k];
  return JSON.stringify(sorted);
}

/** RFC 8785 §3.2.3: property names sort by UTF-16 code units. */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
