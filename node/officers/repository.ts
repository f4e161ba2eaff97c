import { and, asc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../store/database';
import { officerSessions, officers } from '../store/schema/officers';

/** An officer account row as the service sees it (the password hash stays inside the service). */
export interface OfficerRow {
  id: string;
  username: string;
  role: 'viewer' | 'auditor';
  passwordHash: string;
  createdAt: Date;
  createdBy: string;
  passwordChangedAt: Date;
  disabledAt: Date | null;
}

/** A session row joined with its officer. */
export interface SessionRow {
  id: string;
  officerId: string;
  kind: 'api' | 'console';
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  officer: OfficerRow;
}

const toOfficer = (r: typeof officers.$inferSelect): OfficerRow => ({ ...r, role: r.role as OfficerRow['role'] });

/** Storage of officer accounts and sessions (tables `officers`, `officer_sessions`); PGlite and PostgreSQL. */
export function createOfficerRepository(deps: { db: Db }) {
  const { db } = deps;
  return {
    /** Inserts an account; false when the username is taken. */
    async insert(row: OfficerRow): Promise<boolean> {
      const inserted = await db.insert(officers).values(row).onConflictDoNothing({ target: officers.username }).returning({ id: officers.id });
      return inserted.length === 1;
    },
    async byUsername(username: string): Promise<OfficerRow | null> {
      const [r] = await db.select().from(officers).where(eq(officers.username, username)).limit(1);
      return r ? toOfficer(r) : null;
    },
    async byId(id: string): Promise<OfficerRow | null> {
      const [r] = await db.select().from(officers).where(eq(officers.id, id)).limit(1);
      return r ? toOfficer(r) : null;
    },
    /** Every account, oldest first (a member has a handful of officers; bounded by `limit`). */
    async list(limit = 1000): Promise<OfficerRow[]> {
      return (await db.select().from(officers).orderBy(asc(officers.createdAt), asc(officers.id)).limit(limit)).map(toOfficer);
    },
    /** Disables an account and revokes its open sessions, in one transaction; false when it was not active. */
    async disable(id: string, at: Date): Promise<boolean> {
      return db.transaction(async (tx) => {
        const done = await tx.update(officers).set({ disabledAt: at }).where(and(eq(officers.id, id), isNull(officers.disabledAt))).returning({ id: officers.id });
        if (done.length === 0) return false;
        await tx.update(officerSessions).set({ revokedAt: at }).where(and(eq(officerSessions.officerId, id), isNull(officerSessions.revokedAt)));
        return true;
      });
    },
    async setPasswordHash(id: string, passwordHash: string, at: Date): Promise<void> {
      await db.update(officers).set({ passwordHash, passwordChangedAt: at }).where(eq(officers.id, id));
    },
    async insertSession(row: { id: string; tokenHash: string; officerId: string; kind: 'api' | 'console'; createdAt: Date; expiresAt: Date }): Promise<void> {
      await db.insert(officerSessions).values({ ...row, lastSeenAt: row.createdAt });
    },
    /** The session with this token hash and its officer, whatever its state (the service judges expiry). */
    async sessionByTokenHash(tokenHash: string): Promise<SessionRow | null> {
      const [r] = await db
        .select({ s: officerSessions, o: officers })
        .from(officerSessions)
        .innerJoin(officers, eq(officers.id, officerSessions.officerId))
        .where(eq(officerSessions.tokenHash, tokenHash))
        .limit(1);
      if (!r) return null;
      return { ...r.s, kind: r.s.kind as SessionRow['kind'], officer: toOfficer(r.o) };
    },
    /** Deletes an officer's sessions that ended (expired or revoked) before `before`; returns how many. */
    async purgeEnded(officerId: string, before: Date): Promise<number> {
      const gone = await db
        .delete(officerSessions)
        .where(and(eq(officerSessions.officerId, officerId), or(lt(officerSessions.expiresAt, before), lt(officerSessions.revokedAt, before))))
        .returning({ id: officerSessions.id });
      return gone.length;
    },
    async touchSession(id: string, at: Date): Promise<void> {
      await db.update(officerSessions).set({ lastSeenAt: at }).where(eq(officerSessions.id, id));
    },
    /** Revokes one session; false when it was already revoked or unknown. */
    async revokeSession(id: string, at: Date): Promise<boolean> {
      const done = await db.update(officerSessions).set({ revokedAt: at }).where(and(eq(officerSessions.id, id), isNull(officerSessions.revokedAt))).returning({ id: officerSessions.id });
      return done.length === 1;
    },
  };
}

/** The repository's type. */
export type OfficerRepository = ReturnType<typeof createOfficerRepository>;
