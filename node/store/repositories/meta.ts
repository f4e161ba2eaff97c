import { eq, sql } from 'drizzle-orm';
import type { Db } from '../database';
import { nodeMeta } from '../schema';

/** Key/value facts about the node (see {@link nodeMeta}). */
export interface MetaRepository {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /**
   * Records `memberId` as this database's owner on first use; afterwards returns the recorded owner
   * so the caller can refuse to start against another member's database.
   */
  claimOwner(memberId: string): Promise<string>;
}

export function createMetaRepository(deps: { db: Db; now: () => Date }): MetaRepository {
  const { db, now } = deps;
  return {
    async get<T>(key: string) {
      const rows = await db.select({ value: nodeMeta.value }).from(nodeMeta).where(eq(nodeMeta.key, key));
      return rows[0]?.value as T | undefined;
    },
    async set(key, value) {
      await db
        .insert(nodeMeta)
        .values({ key, value, updatedAt: now() })
        .onConflictDoUpdate({ target: nodeMeta.key, set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` } });
    },
    async claimOwner(memberId) {
      await db.insert(nodeMeta).values({ key: 'member_id', value: memberId, updatedAt: now() }).onConflictDoNothing();
      const rows = await db.select({ value: nodeMeta.value }).from(nodeMeta).where(eq(nodeMeta.key, 'member_id'));
      return String(rows[0]?.value);
    },
  };
}
