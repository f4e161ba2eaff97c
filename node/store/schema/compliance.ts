import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const int64 = (name: string) => bigint(name, { mode: 'number' });

/**
 * Which entries of the own log each peer has been served (issue 9 §3: "to which peers they were served"): one
 * row per peer and served entry range `[fromIdx, toIdx)`, with the first and last time it was served.
 */
export const peerServed = pgTable(
  'peer_served',
  {
    peer: text('peer').notNull(),
    fromIdx: int64('from_idx').notNull(),
    toIdx: int64('to_idx').notNull(),
    times: integer('times').notNull(),
    firstServedAt: ts('first_served_at').notNull(),
    lastServedAt: ts('last_served_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.peer, t.fromIdx, t.toIdx] }), index('peer_served_range').on(t.fromIdx, t.toIdx)],
);

/** Evidence of each retention sweep (issue 9 §4): what was purged, per category, and its audit entry. */
export const retentionSweeps = pgTable(
  'retention_sweeps',
  {
    id: text('id').primaryKey(),
    at: ts('at').notNull(),
    actor: text('actor').notNull(),
    /** `{ category: count }`. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    auditIndex: int64('audit_index').notNull(),
  },
  (t) => [index('retention_sweeps_at').on(t.at)],
);

/** Executed erasure requests (issue 9 §4, PIPL art. 47): what was deleted, what was kept and why. */
export const erasures = pgTable(
  'erasures',
  {
    id: text('id').primaryKey(),
    subject: text('subject').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    executedAt: ts('executed_at').notNull(),
    /** `{ category: count }`. */
    deleted: jsonb('deleted').$type<Record<string, number>>().notNull(),
    /** `[{ category, count, why }]`. */
    kept: jsonb('kept').$type<{ category: string; count: number; why: string }[]>().notNull(),
    auditIndex: int64('audit_index').notNull(),
  },
  (t) => [index('erasures_subject').on(t.subject), index('erasures_executed').on(t.executedAt)],
);
