import { normalizeSubjectId, pseudonymize, ProtocolError, type ConsortiumKey, type Pseudonym } from '../../protocol';
import type { Db } from '../store/database';
import { subjects } from '../store/schema';
import { sql } from 'drizzle-orm';
import { openSealed, seal } from './sealing';

/** An identifier that failed validation; the message never repeats the identifier. */
export type SubjectRejection = { ok: false; code: 'subject-invalid'; message: string };

export interface SubjectService {
  /** Validates and normalizes a raw identifier, returns its pseudonym and records the subject (encrypted). */
  resolve(raw: string): Promise<{ ok: true; pseudonym: Pseudonym } | SubjectRejection>;
  /** Pseudonym of a raw identifier without recording anything. */
  pseudonymOf(raw: string): { ok: true; pseudonym: Pseudonym } | SubjectRejection;
  /** The normalized identifier of a known pseudonym (decrypted on this node only), or null. */
  identifierOf(pseudonym: string): Promise<string | null>;
}

/**
 * Subjects: raw identifiers are validated (GB 11643 / E.164), pseudonymized with the consortium key, and
 * kept only encrypted (secretbox, the node's storage key), indexed by pseudonym.
 */
export function createSubjectService(deps: { db: Db; pseudonymKey: ConsortiumKey; storageKey: Uint8Array; now: () => Date; random: (n: number) => Uint8Array }): SubjectService {
  const pseudonymOf = (raw: string): { ok: true; pseudonym: Pseudonym } | SubjectRejection => {
    try {
      return { ok: true, pseudonym: pseudonymize(deps.pseudonymKey, normalizeSubjectId(raw)) };
    } catch (err) {
      if (err instanceof ProtocolError) return { ok: false, code: 'subject-invalid', message: err.message };
      throw err;
    }
  };
  return {
    pseudonymOf,
    async resolve(raw) {
      const r = pseudonymOf(raw);
      if (!r.ok) return r;
      const normalized = normalizeSubjectId(raw);
      await deps.db
        .insert(subjects)
        .values({ pseudonym: r.pseudonym.value, pseudonymKid: r.pseudonym.kid, sealedIdentifier: seal(normalized, deps.storageKey, deps.random), createdAt: deps.now() })
        .onConflictDoNothing();
      return r;
    },
    async identifierOf(pseudonym) {
      const rows = await deps.db.select().from(subjects).where(sql`${subjects.pseudonym} = ${pseudonym}`);
      const row = rows[0];
      return row ? openSealed(row.sealedIdentifier, deps.storageKey) : null;
    },
  };
}
