import { index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Compliance officer accounts (issue 9 §5): read-only roles `viewer` and `auditor`, created by the member's admin.
 * `password_hash` is a self-describing scrypt string (`scrypt$N$r$p$salt$hash`, see node/officers/password.ts).
 * Accounts are never deleted (audit entries name them); `disabled_at` ends sign-in and every open session.
 */
export const officers = pgTable(
  'officers',
  {
    /** `off_<base64url>`. */
    id: text('id').primaryKey(),
    /** Lower-case sign-in name, unique. */
    username: text('username').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Who created the account: `admin` (API) or `cli`. */
    createdBy: text('created_by').notNull(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }).notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('officers_username').on(t.username)],
);

/**
 * Officer sessions: only the SHA-256 of the random session token is stored. A session ends at `expires_at`
 * (absolute), after the idle timeout since `last_seen_at`, or at `revoked_at` (sign-out, account disabled).
 */
export const officerSessions = pgTable(
  'officer_sessions',
  {
    /** `ses_<base64url>`: the public id audit entries use (never the token). */
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    officerId: text('officer_id').notNull().references(() => officers.id),
    /** `api` (bearer token) or `console` (cookie). */
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('officer_sessions_token').on(t.tokenHash), index('officer_sessions_officer').on(t.officerId)],
);
