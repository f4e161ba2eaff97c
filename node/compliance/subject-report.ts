import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { decodeSignalEntry } from '../../protocol';
import type { Db } from '../store/database';
import { auditEntries, decisionReviews, decisions, erasures, externalScoreCache, externalScoreProvenance, heldSignals, memberRecords, merchantAuthorizations, merchantQueryLog } from '../store/schema';
import { openSealed } from '../subjects/sealing';
import type { ConsentReceipts, ConsentSummary } from './consents';
import type { ServedRecorder } from './served';

/** Most rows per section of a report; a section that hits it is listed in `truncated`. */
export const REPORT_SECTION_LIMIT = 1000;

/** A signal in a report (its body data, not the signature). */
export interface ReportSignal {
  issuer: string;
  id: string;
  type: string;
  logIndex: number;
  issuedAt: string;
  expiresAt: string;
  expired: boolean;
  status: string;
  data: unknown;
}

/**
 * Everything the node holds and has done about one subject (issue 9 §3, PIPL art. 45). It holds the subject's
 * own personal data (decrypted records): hand it only to the subject or their representative, never log it.
 */
export interface SubjectReport {
  reportVersion: 1;
  generatedAt: string;
  memberId: string;
  subject: { pseudonym: string; pseudonymKid: string; identifier: string | null };
  records: { key: string; entity: string; customerRef: string; data: unknown; personal: unknown; importId: string; updatedAt: string }[];
  signalsPublished: (ReportSignal & { servedTo: { peer: string; firstServedAt: string }[] })[];
  signalsHeld: ReportSignal[];
  externalScores: {
    cached: { provider: string; outcome: unknown; expiresAt: string }[];
    fetched: { id: string; provider: string; consentId: string; reference: string | null; requestedAt: string; receivedAt: string }[];
  };
  decisions: { id: string; createdAt: string; trigger: string; grade: string; vipTier: string | null; limitMinor: number; status: string; decision: unknown; reviews: { id: string; kind: string; state: string; actions: unknown; createdAt: string }[] }[];
  merchantQueries: { clientId: string; purpose: string; consentId: string; action: string; outcome: string; requestId: string; at: string }[];
  /** Holds placed by partner merchants on the subject's joint limit (issue 8 ledger). */
  merchantAuthorizations: { id: string; clientId: string; consentId: string; decisionId: string; amountMinor: number; currency: string; state: string; createdAt: string }[];
  consents: ConsentSummary[];
  erasures: { id: string; executedAt: string; deleted: Record<string, number>; kept: { category: string; count: number; why: string }[] }[];
  auditTrail: { index: number; at: string; type: string; actor: string }[];
  truncated: string[];
}

/** Dependencies of {@link createSubjectReports}. */
export interface SubjectReportDeps {
  db: Db;
  memberId: string;
  storageKey: Uint8Array;
  receipts: ConsentReceipts;
  served: ServedRecorder;
  /** Decrypts the subject's identifier (SubjectService.identifierOf). */
  identifierOf: (pseudonym: string) => Promise<string | null>;
  now: () => Date;
}

/** Builds subject reports. */
export interface SubjectReports {
  build(subject: { value: string; kid: string }): Promise<SubjectReport>;
}

function signal(r: typeof heldSignals.$inferSelect, at: Date): ReportSignal {
  let data: unknown = null;
  try {
    data = decodeSignalEntry(r.entry).body.data;
  } catch {
    data = null;
  }
  return { issuer: r.issuer, id: r.signalId, type: r.type, logIndex: r.logIndex, issuedAt: r.issuedAt.toISOString(), expiresAt: r.expiresAt.toISOString(), expired: r.expiresAt <= at, status: r.status, data };
}

/** Creates the subject report builder (read-only). */
export function createSubjectReports(deps: SubjectReportDeps): SubjectReports {
  const { db } = deps;
  const L = REPORT_SECTION_LIMIT;
  return {
    async build(subject) {
      const at = deps.now();
      const s = subject.value;
      const truncated: string[] = [];
      const cap = <T>(name: string, rows: T[]): T[] => {
        if (rows.length > L) truncated.push(name);
        return rows.slice(0, L);
      };
      const recs = cap('records', await db.select().from(memberRecords).where(eq(memberRecords.subject, s)).orderBy(asc(memberRecords.key)).limit(L + 1));
      const own = cap('signalsPublished', await db.select().from(heldSignals).where(and(eq(heldSignals.subjectValue, s), eq(heldSignals.issuer, deps.memberId))).orderBy(asc(heldSignals.logIndex)).limit(L + 1));
      const held = cap('signalsHeld', await db.select().from(heldSignals).where(and(eq(heldSignals.subjectValue, s), ne(heldSignals.issuer, deps.memberId))).orderBy(asc(heldSignals.issuer), asc(heldSignals.logIndex)).limit(L + 1));
      const served = await deps.served.peersServed(own.map((r) => r.logIndex));
      const cached = await db.select().from(externalScoreCache).where(eq(externalScoreCache.subject, s)).limit(L);
      const fetched = cap('externalScores', await db.select().from(externalScoreProvenance).where(eq(externalScoreProvenance.subject, s)).orderBy(desc(externalScoreProvenance.receivedAt)).limit(L + 1));
      const decs = cap('decisions', await db.select().from(decisions).where(eq(decisions.subject, s)).orderBy(desc(decisions.createdAt), desc(decisions.seq)).limit(L + 1));
      const reviews = decs.length === 0 ? [] : await db.select().from(decisionReviews).where(inArray(decisionReviews.decisionId, decs.map((d) => d.id)));
      const queries = cap('merchantQueries', await db.select().from(merchantQueryLog).where(eq(merchantQueryLog.subject, s)).orderBy(desc(merchantQueryLog.at), desc(merchantQueryLog.seq)).limit(L + 1));
      const auths = cap('merchantAuthorizations', await db.select().from(merchantAuthorizations).where(eq(merchantAuthorizations.subject, s)).orderBy(desc(merchantAuthorizations.createdAt)).limit(L + 1));
      const cons = cap('consents', await deps.receipts.ofSubject(s, L + 1));
      const eras = await db.select().from(erasures).where(eq(erasures.subject, s)).orderBy(desc(erasures.executedAt)).limit(100);
      const trail = cap('auditTrail', await db.select({ idx: auditEntries.idx, at: auditEntries.at, type: auditEntries.type, actor: auditEntries.actor }).from(auditEntries).where(eq(auditEntries.subject, s)).orderBy(desc(auditEntries.idx)).limit(L + 1));
      return {
        reportVersion: 1,
        generatedAt: at.toISOString(),
        memberId: deps.memberId,
        subject: { pseudonym: s, pseudonymKid: subject.kid, identifier: await deps.identifierOf(s) },
        records: recs.map((r) => ({
          key: r.key, entity: r.entity, customerRef: r.customerRef, data: r.data,
          personal: r.sealed ? (JSON.parse(openSealed(r.sealed, deps.storageKey)) as unknown) : null,
          importId: r.importId, updatedAt: r.updatedAt.toISOString(),
        })),
        signalsPublished: own.map((r) => ({ ...signal(r, at), servedTo: served.get(r.logIndex) ?? [] })),
        signalsHeld: held.map((r) => signal(r, at)),
        externalScores: {
          cached: cached.map((r) => ({ provider: r.provider, outcome: r.outcome, expiresAt: r.expiresAt.toISOString() })),
          fetched: fetched.map((r) => ({ id: r.id, provider: r.provider, consentId: r.consentId, reference: r.reference, requestedAt: r.requestedAt.toISOString(), receivedAt: r.receivedAt.toISOString() })),
        },
        decisions: decs.map((d) => ({
          id: d.id, createdAt: d.createdAt.toISOString(), trigger: d.trigger, grade: d.grade, vipTier: d.vipTier, limitMinor: d.limitMinor, status: d.status, decision: d.decision,
          reviews: reviews.filter((r) => r.decisionId === d.id).map((r) => ({ id: r.id, kind: r.kind, state: r.state, actions: r.actions, createdAt: r.createdAt.toISOString() })),
        })),
        merchantQueries: queries.map((q) => ({ clientId: q.clientId, purpose: q.purpose, consentId: q.consentId, action: q.action, outcome: q.outcome, requestId: q.requestId, at: q.at.toISOString() })),
        merchantAuthorizations: auths.map((a) => ({ id: a.id, clientId: a.clientId, consentId: a.consentId, decisionId: a.decisionId, amountMinor: Number(a.amountMinor), currency: a.currency, state: a.state, createdAt: a.createdAt.toISOString() })),
        consents: cons,
        erasures: eras.map((e) => ({ id: e.id, executedAt: e.executedAt.toISOString(), deleted: e.deleted, kept: e.kept })),
        auditTrail: trail.map((t) => ({ index: t.idx, at: t.at.toISOString(), type: t.type, actor: t.actor })),
        truncated,
      };
    },
  };
}
