import { desc, eq } from 'drizzle-orm';
import type { AuditSink } from '../compliance/contracts';
import type { NodeKeys } from '../keys/keyfile';
import type { Executor } from '../network/store/executor';
import { auditEntries } from '../store/schema';
import { decodeAuditEntry } from './entry';

/** Key ids by use, as recorded in `key.rotated` entries. */
export type KeyFingerprints = Record<'node' | 'signal' | 'log' | 'witness', string>;

/** The key ids of a node's Ed25519 keys. */
export function keyFingerprints(keys: Pick<NodeKeys, 'node' | 'signal' | 'log' | 'witness'>): KeyFingerprints {
  return { node: keys.node.kid, signal: keys.signal.kid, log: keys.log.kid, witness: keys.witness.kid };
}

/**
 * Key-change detection at start (issue 9 §1 "key changes"): compares the node's key ids with those of the last
 * `key.rotated` audit entry and records a new one when they differ (or when none was recorded yet, `initial`).
 * Returns the uses that changed.
 */
export async function auditKeyChanges(db: Executor, audit: AuditSink, keys: KeyFingerprints): Promise<string[]> {
  const rows = await db.select({ body: auditEntries.body }).from(auditEntries).where(eq(auditEntries.type, 'key.rotated')).orderBy(desc(auditEntries.idx)).limit(1);
  const last = rows[0] ? decodeAuditEntry(rows[0].body) : null;
  const previous = (last?.detail.keys ?? null) as Partial<KeyFingerprints> | null;
  const uses = Object.keys(keys) as (keyof KeyFingerprints)[];
  const changed = previous ? uses.filter((u) => previous[u] !== keys[u]) : uses;
  if (previous && changed.length === 0) return [];
  await audit.record({ type: 'key.rotated', actor: 'system', detail: { keys, previous, changed, initial: previous === null } });
  return changed;
}
