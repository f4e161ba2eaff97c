/**
 * The import's referential checks against what the node already stores (docs/data-standard.md §5.3):
 * an entity's keys are loaded once per import when there are few enough of them, so the pipeline's
 * check answers synchronously (no promise per row); otherwise each key is looked up, with a bounded
 * cache of the keys found.
 */
import { eq, sql } from 'drizzle-orm';
import { refKey, type EntityName, type KnownKeys } from '../../adapters/member';
import type { Db } from '../store/database';
import { memberRecords } from '../store/schema';

/** Keys of one referenced entity loaded at once for referential checks (about 100 bytes each). */
const PRELOAD_LIMIT = 500_000;
/** Keys found by single lookups and remembered (entities too large to preload). */
const FOUND_CACHE_LIMIT = 100_000;

/**
 * {@link KnownKeys} over the record table, for one import at a time. Keys the import itself writes
 * need not be added: the pipeline finds them in its own key index before asking here.
 */
export interface StoredKeys extends KnownKeys {
  hasRef(entity: string, ref: string): boolean | Promise<boolean>;
  /** Forgets everything loaded (a new import begins). */
  clear(): void;
}

/** Number of stored records of `entity`. */
export async function countRecords(db: Db, entity: string): Promise<number> {
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(memberRecords).where(eq(memberRecords.entity, entity));
  return count?.n ?? 0;
}

/** Creates the stored-keys view over `db` (`preloadLimit`: keys of an entity loaded at once, default {@link PRELOAD_LIMIT}). */
export function createStoredKeys(db: Db, opts: { preloadLimit?: number } = {}): StoredKeys {
  const preloadLimit = opts.preloadLimit ?? PRELOAD_LIMIT;
  const found = new Set<string>();
  /** Preloaded references by entity (each key without its `entity:` prefix); null: too many to preload, looked up one by one. */
  const preloaded = new Map<string, Set<string> | null>();
  /** The last entity asked about and its preloaded references (imports ask about one entity row after row). */
  let lastEntity = '';
  let lastRefs: Set<string> | undefined;

  function hasRef(entity: string, ref: string): boolean | Promise<boolean> {
    const refs = lastRefs && entity === lastEntity ? lastRefs : preloaded.get(entity);
    if (refs) {
      lastEntity = entity;
      lastRefs = refs;
      return refs.has(ref);
    }
    if (refs === null) {
      const key = refKey(entity as EntityName, ref);
      return found.has(key) || lookUp(key);
    }
    return preload(entity).then(() => hasRef(entity, ref));
  }

  async function preload(entity: string): Promise<void> {
    if (preloaded.has(entity)) return;
    const prefix = entity.length + 1;
    const set = (await countRecords(db, entity)) <= preloadLimit
      ? new Set((await db.select({ key: memberRecords.key }).from(memberRecords).where(eq(memberRecords.entity, entity))).map((r) => r.key.slice(prefix)))
      : null;
    preloaded.set(entity, set);
  }

  async function lookUp(key: string): Promise<boolean> {
    const rows = await db.select({ key: memberRecords.key }).from(memberRecords).where(eq(memberRecords.key, key)).limit(1);
    if (!rows.length) return false;
    if (found.size >= FOUND_CACHE_LIMIT) found.clear();
    found.add(key);
    return true;
  }

  return {
    has(key) {
      const colon = key.indexOf(':');
      return colon > 0 && hasRef(key.slice(0, colon), key.slice(colon + 1));
    },
    hasRef,
    clear() {
      lastEntity = '';
      lastRefs = undefined;
      preloaded.clear();
      found.clear();
    },
  };
}
