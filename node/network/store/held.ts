import { and, asc, eq, gt, inArray, lt, notInArray, sql } from 'drizzle-orm';
import { decodeSignalEntry, type SignedSignal } from '../../../protocol';
import { heldSignals } from '../../store/schema';
import type { HeldSignal } from '../types';
import { chunks, type Executor } from './executor';

/** A verified signal to hold: its issuer's log position, the decoded signal and the entry bytes. */
export interface HeldInput {
  logIndex: number;
  signed: SignedSignal;
  entry: Uint8Array;
}

/**
 * Inserts verified signals of one issuer (idempotent: a row already held at the same log position is
 * kept) and applies their control effects in log order: `consent.withdrawn` marks that issuer's earlier
 * signals about the subject `withdrawn`; `signal.retracted` marks the earlier target `retracted`
 * (architecture sections 3 and 6). Run inside the transaction that advances the cursor.
 */
export async function holdSignals(tx: Executor, issuer: string, rows: HeldInput[]): Promise<void> {
  for (const part of chunks(rows, 1000)) {
    await tx
      .insert(heldSignals)
      .values(
        part.map((r) => ({
          issuer,
          logIndex: r.logIndex,
          signalId: r.signed.body.id,
          type: r.signed.body.type,
          subjectKid: r.signed.body.subject.kid,
          subjectValue: r.signed.body.subject.value,
          issuedAt: new Date(r.signed.body.issuedAt),
          expiresAt: new Date(r.signed.body.expiresAt),
          entry: r.entry,
          status: 'valid' as const,
        })),
      )
      .onConflictDoNothing();
  }
  for (const r of rows) {
    const body = r.signed.body;
    if (body.type === 'consent.withdrawn') {
      await tx
        .update(heldSignals)
        .set({ status: 'withdrawn' })
        .where(
          and(
            eq(heldSignals.issuer, issuer),
            eq(heldSignals.subjectValue, body.subject.value),
            lt(heldSignals.logIndex, r.logIndex),
            eq(heldSignals.status, 'valid'),
          ),
        );
    } else if (body.type === 'signal.retracted') {
      const target = (body.data as { target: string }).target;
      await tx
        .update(heldSignals)
        .set({ status: 'retracted' })
        .where(and(eq(heldSignals.issuer, issuer), eq(heldSignals.signalId, target), lt(heldSignals.logIndex, r.logIndex)));
    }
  }
}

/** Control signal types: they act on other signals and are not served as statements about the subject. */
export const CONTROL_TYPES = ['consent.withdrawn', 'signal.retracted'];

/**
 * Every valid held signal about `subjectValue` not expired at `asOf` (control signals, withdrawn and
 * retracted signals excluded), ordered by issuer and log index.
 */
export async function heldBySubject(db: Executor, subjectValue: string, asOf: Date, self: string): Promise<HeldSignal[]> {
  const rows = await db
    .select()
    .from(heldSignals)
    .where(
      and(
        eq(heldSignals.subjectValue, subjectValue),
        eq(heldSignals.status, 'valid'),
        gt(heldSignals.expiresAt, asOf),
        notInArray(heldSignals.type, CONTROL_TYPES),
      ),
    )
    .orderBy(asc(heldSignals.issuer), asc(heldSignals.logIndex));
  return rows.map((r) => ({
    issuer: r.issuer,
    logIndex: r.logIndex,
    id: r.signalId,
    type: r.type,
    subject: { kid: r.subjectKid, value: r.subjectValue },
    issuedAt: r.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    expiresAt: r.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    signed: decodeSignalEntry(r.entry),
    verification: 'verified' as const,
    own: r.issuer === self,
  }));
}

/** Held rows of an issuer by signal id (used to answer duplicate appends idempotently). */
export async function heldByIds(db: Executor, issuer: string, ids: string[]): Promise<Map<string, { logIndex: number; entry: Uint8Array }>> {
  const out = new Map<string, { logIndex: number; entry: Uint8Array }>();
  for (const part of chunks(ids, 1000)) {
    const rows = await db
      .select({ id: heldSignals.signalId, logIndex: heldSignals.logIndex, entry: heldSignals.entry })
      .from(heldSignals)
      .where(and(eq(heldSignals.issuer, issuer), inArray(heldSignals.signalId, part)));
    for (const r of rows) out.set(r.id, { logIndex: r.logIndex, entry: r.entry });
  }
  return out;
}

/** Number of held signals of an issuer (tests and status). */
export async function heldCount(db: Executor, issuer: string): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(heldSignals).where(eq(heldSignals.issuer, issuer));
  return rows[0]?.n ?? 0;
}
