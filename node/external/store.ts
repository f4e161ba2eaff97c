/**
 * Database-backed cache and provenance store of the external score service (issue 6 §5), written once
 * against drizzle's `Db` so they run on PGlite and PostgreSQL alike.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { and, eq, lte } from 'drizzle-orm';
import { parseProvenanceRecord, type CacheEntry, type CachedOutcome, type ProvenanceRecord, type ProvenanceStore, type ScoreCache } from '../../adapters/external/index';
import type { Db } from '../store/database';
import { externalScoreCache, externalScoreProvenance } from '../store/schema';

/**
 * Stable id of a provenance record: `exp_` + the first 32 hex digits of SHA-256 over its RFC 8785
 * canonical JSON. The same answer (e.g. served again from the cache) always has the same id.
 */
export function provenanceId(record: ProvenanceRecord): string {
  const text = canonicalize(record);
  if (text === undefined) throw new Error('provenance record is not serializable');
  return `exp_${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32)}`;
}

/** Shape check of an id taken from a URL before it reaches the database. */
export const provenanceIdPattern = /^exp_[0-9a-f]{32}$/;

/** A cache that keeps entries in `external_score_cache`; expired rows are never returned and are removed when met. */
export function createDbScoreCache(db: Db): ScoreCache {
  const t = externalScoreCache;
  return {
    async get(provider, subject, now) {
      const [row] = await db.select().from(t).where(and(eq(t.provider, provider), eq(t.subject, subject)));
      if (!row) return undefined;
      if (row.expiresAt.getTime() <= now.getTime()) {
        await db.delete(t).where(and(eq(t.provider, provider), eq(t.subject, subject), lte(t.expiresAt, now)));
        return undefined;
      }
      return { outcome: row.outcome as CachedOutcome, expiresAt: row.expiresAt.toISOString() } satisfies CacheEntry;
    },
    async set(provider, subject, entry) {
      const values = { provider, subject, outcome: entry.outcome, expiresAt: new Date(entry.expiresAt) };
      await db
        .insert(t)
        .values(values)
        .onConflictDoUpdate({ target: [t.provider, t.subject], set: { outcome: values.outcome, expiresAt: values.expiresAt } });
    },
    async delete(subject, provider) {
      await db.delete(t).where(provider === undefined ? eq(t.subject, subject) : and(eq(t.subject, subject), eq(t.provider, provider)));
    },
  };
}

/** A stored provenance record with its columns. */
export interface StoredProvenance {
  id: string;
  provider: string;
  subjectPseudonym: string;
  consentId: string;
  reference: string | null;
  requestedAt: string;
  receivedAt: string;
  /** The record as stored; `response.body` is the raw response text column. Null when the row is unreadable. */
  record: ProvenanceRecord | null;
}

/** The provenance store with reads for the compliance routes. */
export interface DbProvenanceStore extends ProvenanceStore {
  get(id: string): Promise<StoredProvenance | null>;
}

/** Provenance kept in `external_score_provenance`; saving the same record twice keeps one row. */
export function createDbProvenanceStore(db: Db): DbProvenanceStore {
  const t = externalScoreProvenance;
  return {
    async save(record) {
      await db
        .insert(t)
        .values({
          id: provenanceId(record),
          provider: record.provider,
          subject: record.subjectPseudonym,
          consentId: record.consentId,
          reference: record.reference,
          rawResponse: record.response.body,
          signature: { ...record.signature, headers: record.response.headers },
          requestedAt: new Date(record.requestedAt),
          receivedAt: new Date(record.receivedAt),
          record,
        })
        .onConflictDoNothing();
    },
    async get(id) {
      const [row] = await db.select().from(t).where(eq(t.id, id));
      if (!row) return null;
      // Rebuild from the dedicated columns: the raw text and the signature material are what is verified.
      const stored = row.record as Record<string, unknown>;
      const sig = row.signature as { scheme?: unknown; value?: unknown; keyId?: unknown; headers?: unknown };
      const response = (stored.response ?? {}) as Record<string, unknown>;
      const record = parseProvenanceRecord({
        ...stored,
        response: { ...response, body: row.rawResponse, headers: sig.headers ?? response.headers },
        signature: { scheme: sig.scheme, value: sig.value, keyId: sig.keyId },
      });
      return {
        id: row.id,
        provider: row.provider,
        subjectPseudonym: row.subject,
        consentId: row.consentId,
        reference: row.reference,
        requestedAt: row.requestedAt.toISOString(),
        receivedAt: row.receivedAt.toISOString(),
        record,
      };
    },
  };
}
