import { and, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { formatTimestamp, toBase64Url } from '../../protocol';
import type { Db } from '../store/database';
import { consents } from '../store/schema';
import type { SubjectService } from '../subjects/service';
import { signConsentRecord, type ConsentRecord } from './record';
import type { CreateConsentRequest } from './request';

/** A consent as the admin API returns it. */
export interface ConsentView {
  id: string;
  ref: string;
  status: 'active' | 'withdrawn' | 'expired';
  record: ConsentRecord;
  signature: { alg: 'Ed25519'; kid: string; value: string };
  withdrawnAt: string | null;
  withdrawalSignalId: string | null;
}

export type ConsentFailure =
  | { ok: false; code: 'subject-invalid' | 'validation-failed'; message: string }
  | { ok: false; code: 'consent-not-found'; message: string }
  | { ok: false; code: 'consent-withdrawn'; message: string };

/** Longest a consent may run; the customer can withdraw at any time before. */
export const MAX_CONSENT_MS = 5 * 365 * 24 * 3600 * 1000;
const DEFAULT_CONSENT_MS = 365 * 24 * 3600 * 1000;

export interface ConsentService {
  grant(req: CreateConsentRequest): Promise<{ ok: true; consent: ConsentView } | ConsentFailure>;
  get(id: string): Promise<ConsentView | null>;
  /** Marks the consent withdrawn now (decisions already made stand). */
  withdraw(id: string): Promise<{ ok: true; consent: ConsentView } | ConsentFailure>;
  /** Records the tombstone that told the peers. */
  markTombstone(id: string, signalId: string): Promise<void>;
  /** The newest active consent of a subject for a purpose (and recipient, when given) at `at`. */
  findActive(subject: string, purpose: string, at: Date, recipient?: string): Promise<ConsentView | null>;
  /** {@link ConsentService.findActive} for many subjects in one query: the subjects that have one, with it. */
  findActiveFor(subjects: readonly string[], purpose: string, at: Date, recipient?: string): Promise<Map<string, ConsentView>>;
  /** Withdrawn sharing consents whose tombstone is not yet published (retried at start). */
  pendingTombstones(): Promise<ConsentView[]>;
}

type Row = typeof consents.$inferSelect;

export function createConsentService(deps: {
  db: Db;
  subjects: SubjectService;
  memberId: string;
  consortiumId: string;
  signingKey: { kid: string; secretKey: Uint8Array };
  now: () => Date;
  random: (n: number) => Uint8Array;
}): ConsentService {
  const { db, now } = deps;
  const view = (r: Row): ConsentView => ({
    id: r.id,
    ref: r.ref,
    status: r.withdrawnAt ? 'withdrawn' : r.expiresAt.getTime() <= now().getTime() ? 'expired' : 'active',
    record: r.record as ConsentRecord,
    signature: { alg: 'Ed25519', kid: deps.signingKey.kid, value: r.signature },
    withdrawnAt: r.withdrawnAt ? r.withdrawnAt.toISOString() : null,
    withdrawalSignalId: r.withdrawalSignalId,
  });
  const byId = async (id: string) => (await db.select().from(consents).where(eq(consents.id, id)))[0];

  async function findActiveFor(subjects: readonly string[], purpose: string, at: Date, recipient?: string): Promise<Map<string, ConsentView>> {
    const found = new Map<string, ConsentView>();
    if (!subjects.length) return found;
    const rows = await db
      .select()
      .from(consents)
      .where(and(inArray(consents.subject, [...new Set(subjects)]), eq(consents.purpose, purpose), isNull(consents.withdrawnAt), lte(consents.grantedAt, at), gt(consents.expiresAt, at)))
      .orderBy(desc(consents.grantedAt));
    // newest first: the first match of each subject wins
    for (const r of rows) {
      if (found.has(r.subject) || (recipient && !(r.record as ConsentRecord).recipients.includes(recipient))) continue;
      found.set(r.subject, view(r));
    }
    return found;
  }

  return {
    async grant(req) {
      const subject = await deps.subjects.resolve(req.subject.id);
      if (!subject.ok) return subject;
      const granted = now();
      const expires = req.expiresAt ? new Date(req.expiresAt) : new Date(granted.getTime() + DEFAULT_CONSENT_MS);
      if (expires.getTime() <= granted.getTime()) return { ok: false, code: 'validation-failed', message: 'expiresAt must be in the future' };
      if (expires.getTime() - granted.getTime() > MAX_CONSENT_MS) return { ok: false, code: 'validation-failed', message: 'expiresAt may be at most 5 years ahead' };
      if (req.purpose === 'signal-sharing' && !req.recipients.includes(`consortium:${deps.consortiumId}`)) {
        return { ok: false, code: 'validation-failed', message: `signal-sharing consent must name the consortium as recipient: "consortium:${deps.consortiumId}" (every member pulls the shared log)` };
      }
      const record: ConsentRecord = {
        v: 1,
        id: `cns_${toBase64Url(deps.random(16))}`,
        controller: deps.memberId,
        consortium: deps.consortiumId,
        subject: subject.pseudonym,
        purpose: req.purpose,
        recipients: [...new Set(req.recipients)].sort(),
        dataCategories: [...new Set(req.dataCategories)].sort(),
        notice: req.notice,
        collectionMethod: req.collectionMethod,
        automatedDecision: req.automatedDecision,
        grantedAt: formatTimestamp(granted),
        expiresAt: formatTimestamp(expires),
      };
      const sig = signConsentRecord(record, deps.signingKey);
      const [row] = await db
        .insert(consents)
        .values({ id: record.id, subject: subject.pseudonym.value, purpose: record.purpose, record, ref: sig.ref, signature: sig.signature, grantedAt: new Date(record.grantedAt), expiresAt: new Date(record.expiresAt) })
        .returning();
      return { ok: true, consent: view(row!) };
    },
    async get(id) {
      const r = await byId(id);
      return r ? view(r) : null;
    },
    async withdraw(id) {
      const [row] = await db.update(consents).set({ withdrawnAt: now() }).where(and(eq(consents.id, id), isNull(consents.withdrawnAt))).returning();
      if (row) return { ok: true, consent: view(row) };
      const existing = await byId(id);
      if (!existing) return { ok: false, code: 'consent-not-found', message: `no consent ${id}` };
      return { ok: false, code: 'consent-withdrawn', message: `consent ${id} was already withdrawn at ${existing.withdrawnAt!.toISOString()}` };
    },
    async markTombstone(id, signalId) {
      await db.update(consents).set({ withdrawalSignalId: signalId }).where(eq(consents.id, id));
    },
    async findActive(subject, purpose, at, recipient) {
      return (await findActiveFor([subject], purpose, at, recipient)).get(subject) ?? null;
    },
    findActiveFor,
    async pendingTombstones() {
      const rows = await db
        .select()
        .from(consents)
        .where(and(eq(consents.purpose, 'signal-sharing'), sql`${consents.withdrawnAt} is not null`, isNull(consents.withdrawalSignalId)));
      return rows.map(view);
    },
  };
}
