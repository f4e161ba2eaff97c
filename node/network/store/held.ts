import { and, asc, eq, gt, inArray, lt, notInArray, sql } from 'drizzle-orm';
import { decodeSignalEntry, type SignedSignal } from '../../../protocol';
import { heldSignals } from '../../store/schema';
import { bigintArray, textArray } from '../../store/sql-arrays';
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
  for (const part of chunks(rows, HOLD_BATCH_ROWS)) await insertHeld(tx, issuer, part);
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

/** Rows per INSERT when holding signals (each INSERT binds one array per column, whatever its row count). */
export const HOLD_BATCH_ROWS = 2000;

/**
 * One multi-row INSERT of held rows as column arrays expanded by `unnest` (10 bound parameters
 * instead of 10 per row: far less statement building, binding and parsing than a VALUES list).
 * Entry bytes travel as hex text (portable across the pg and PGlite drivers) and are decoded in SQL.
 */
async function insertHeld(tx: Executor, issuer: string, part: HeldInput[]): Promise<void> {
  const bodies = part.map((r) => r.signed.body);
  await tx.execute(sql`
    INSERT INTO held_signals (issuer, log_index, signal_id, type, subject_kid, subject_value, issued_at, expires_at, entry, status)
    SELECT ${issuer}::text, u.log_index, u.signal_id, u.type, u.subject_kid, u.subject_value, u.issued_at, u.expires_at, decode(u.entry, 'hex'), 'valid'
    FROM unnest(
      ${bigintArray(part.map((r) => String(r.logIndex)))},
      ${textArray(bodies.map((b) => b.id))},
      ${textArray(bodies.map((b) => b.type))},
      ${textArray(bodies.map((b) => b.subject.kid))},
      ${textArray(bodies.map((b) => b.subject.value))},
      ${sql.param(bodies.map((b) => b.issuedAt))}::timestamptz[],
      ${sql.param(bodies.map((b) => b.expiresAt))}::timestamptz[],
      ${textArray(part.map((r) => Buffer.from(r.entry.buffer, r.entry.byteOffset, r.entry.byteLength).toString('hex')))}
    ) AS u(log_index, signal_id, type, subject_kid, subject_value, issued_at, expires_at, entry)
    ON CONFLICT DO NOTHING`);
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
