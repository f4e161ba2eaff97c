import { normalizeSubjectId, pseudonymize, ProtocolError, type ConsortiumKey, type Pseudonym } from '../../protocol';
import type { Db } from '../store/database';
import { textArray } from '../store/sql-arrays';
import { subjects } from '../store/schema';
import { sql } from 'drizzle-orm';
import { openSealed, seal } from './sealing';

/** An identifier that failed validation; the message never repeats the identifier. */
export type SubjectRejection = { ok: false; code: 'subject-invalid'; message: string };

export interface SubjectService {
  /** Validates and normalizes a raw identifier, returns its pseudonym and records the subject (encrypted). */
  resolve(raw: string): Promise<{ ok: true; pseudonym: Pseudonym } | SubjectRejection>;
  /**
   * {@link SubjectService.resolve} for many identifiers at once (bulk imports): one statement records
   * every new subject. Results are in input order.
   */
  resolveMany(raws: readonly string[]): Promise<({ ok: true; pseudonym: Pseudonym } | SubjectRejection)[]>;
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
  /** The normalized identifier and its pseudonym, or why the identifier is invalid. */
  const normalize = (raw: string): { ok: true; normalized: string; pseudonym: Pseudonym } | SubjectRejection => {
    try {
      const normalized = normalizeSubjectId(raw);
      return { ok: true, normalized, pseudonym: pseudonymize(deps.pseudonymKey, normalized) };
    } catch (err) {
      if (err instanceof ProtocolError) return { ok: false, code: 'subject-invalid', message: err.message };
      throw err;
    }
  };
  const pseudonymOf = (raw: string): { ok: true; pseudonym: Pseudonym } | SubjectRejection => {
    const r = normalize(raw);
    return r.ok ? { ok: true, pseudonym: r.pseudonym } : r;
  };
  /** Records the subjects not recorded yet (sealed identifiers), in one statement. */
  async function record(valid: readonly { normalized: string; pseudonym: Pseudonym }[]): Promise<void> {
    const byPseudonym = new Map(valid.map((v) => [v.pseudonym.value, v]));
    if (!byPseudonym.size) return;
    // in pseudonym order: concurrent writers lock the same rows in the same order (no deadlock)
    const rows = [...byPseudonym.values()].sort((a, b) => (a.pseudonym.value < b.pseudonym.value ? -1 : 1));
    await deps.db.execute(sql`
      insert into subjects (pseudonym, pseudonym_kid, sealed_identifier, created_at)
      select u.p, u.k, decode(u.s, 'base64'), ${deps.now().toISOString()}::timestamptz
      from unnest(${textArray(rows.map((r) => r.pseudonym.value))}, ${textArray(rows.map((r) => r.pseudonym.kid))},
        ${textArray(rows.map((r) => Buffer.from(seal(r.normalized, deps.storageKey, deps.random)).toString('base64')))}) as u(p, k, s)
      on conflict (pseudonym) do nothing`);
  }
  async function resolveMany(raws: readonly string[]): Promise<({ ok: true; pseudonym: Pseudonym } | SubjectRejection)[]> {
    const results = raws.map(normalize);
    await record(results.filter((r) => r.ok));
    return results.map((r) => (r.ok ? { ok: true, pseudonym: r.pseudonym } : r));
  }
  return {
    pseudonymOf,
    resolve: async (raw) => (await resolveMany([raw]))[0]!,
    resolveMany,
    async identifierOf(pseudonym) {
      const rows = await deps.db.select().from(subjects).where(sql`${subjects.pseudonym} = ${pseudonym}`);
      const row = rows[0];
      return row ? openSealed(row.sealedIdentifier, deps.storageKey) : null;
    },
  };
}
