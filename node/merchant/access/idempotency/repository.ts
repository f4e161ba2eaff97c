/** Storage of `Idempotency-Key` records (table `merchant_idempotency`); PGlite and PostgreSQL alike. */
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../../../store/database';
import { merchantIdempotency } from '../../../store/schema';

/** A stored record. */
export interface IdempotencyRecord {
  clientId: string;
  key: string;
  requestHash: string;
  state: 'in_progress' | 'done';
  status: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  createdAt: Date;
}

/** The repository. */
export interface IdempotencyRepository {
  /** Claims `(clientId, key)` for a new request; false when a record exists already. */
  claim(clientId: string, key: string, requestHash: string, at: Date): Promise<boolean>;
  get(clientId: string, key: string): Promise<IdempotencyRecord | null>;
  /** Takes over an abandoned in-progress claim made at `claimedAt` (compare-and-set); true when taken. */
  takeOver(clientId: string, key: string, claimedAt: Date, at: Date): Promise<boolean>;
  complete(clientId: string, key: string, res: { status: number; headers: Record<string, string>; body: string }): Promise<void>;
  /** Forgets a claim (the request failed before producing a response worth replaying). */
  release(clientId: string, key: string): Promise<void>;
  /** Deletes records created before `before`; returns how many. */
  purge(before: Date): Promise<number>;
}

/** Builds the repository over `db`. */
export function createIdempotencyRepository(db: Db): IdempotencyRepository {
  const t = merchantIdempotency;
  const is = (clientId: string, key: string) => and(eq(t.clientId, clientId), eq(t.key, key));
  return {
    async claim(clientId, key, requestHash, at) {
      const r = await db.insert(t).values({ clientId, key, requestHash, state: 'in_progress', createdAt: at }).onConflictDoNothing().returning({ key: t.key });
      return r.length === 1;
    },
    async get(clientId, key) {
      const [r] = await db.select().from(t).where(is(clientId, key));
      return r ? { ...r, state: r.state as IdempotencyRecord['state'] } : null;
    },
    async takeOver(clientId, key, claimedAt, at) {
      const r = await db.update(t).set({ createdAt: at }).where(and(is(clientId, key), eq(t.state, 'in_progress'), eq(t.createdAt, claimedAt))).returning({ key: t.key });
      return r.length === 1;
    },
    async complete(clientId, key, res) {
      await db.update(t).set({ state: 'done', status: res.status, responseHeaders: res.headers, responseBody: res.body }).where(is(clientId, key));
    },
    async release(clientId, key) {
      await db.delete(t).where(and(is(clientId, key), eq(t.state, 'in_progress')));
    },
    async purge(before) {
      const r = await db.delete(t).where(lt(t.createdAt, before)).returning({ key: t.key });
      return r.length;
    },
  };
}
