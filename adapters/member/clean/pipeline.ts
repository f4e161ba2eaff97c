/**
 * The import pipeline (docs/data-standard.md §5): reader items -> mapping -> plausibility ->
 * schema -> de-duplication -> referential check -> accepted standard records with natural key and
 * content hash, or rejects. Every read row ends up either accepted or rejected; nothing is dropped.
 */
import type { RowMapper } from '../mapping/compile';
import { FIELD_DICTIONARY, type FieldSpec } from '../standard/dictionary';
import { ENTITY_SCHEMAS, type EntityName, type EntityRecord } from '../standard/entities';
import { contentHash, naturalKey, refKey } from '../standard/keys';
import { ReaderError, type ReadItem } from '../readers/types';
import { createMemoryKeyIndex, NO_KNOWN_KEYS, type ImportKeyIndex, type KnownKeys } from './keys-index';
import { plausibilityCheck } from './plausibility';
import type { Reject, RejectReason } from './reasons';

/** Dependencies of an import session. */
export interface ImportDeps {
  /** The import clock; read once when the session starts (future-date checks). */
  now: () => Date;
  /** Keys already stored by the node, for referential checks. Default: none. */
  knownKeys?: KnownKeys;
  /** Keys accepted in this import. Default: in memory. */
  keyIndex?: ImportKeyIndex;
}

/** An accepted standard record, ready for an idempotent upsert keyed by `key` (§5.1-5.2). */
export type AcceptedRecord = {
  [E in EntityName]: { file?: string; line: number; entity: E; key: string; hash: string; record: EntityRecord<E> };
}[EntityName];

/** One pipeline output. `fatal` ends the file (unreadable input, mapping columns missing). */
export type ImportEvent =
  | { kind: 'accepted'; accepted: AcceptedRecord }
  | { kind: 'rejected'; reject: Reject }
  | { kind: 'fatal'; file?: string; code: 'CSV_SYNTAX' | 'CSV_HEADER' | 'READ_FAILED' | 'COLUMNS_MISSING'; line: number; message: string };

/** Counters of an import (§5.6). */
export interface ImportSummary {
  read: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  fatal: number;
}

/** An import of one or more files sharing de-duplication and reference state. */
export interface ImportSession {
  /** Runs one file's reader items through `mapper`; `file` labels rejects. */
  run(items: AsyncIterable<ReadItem>, mapper: RowMapper, file?: string): AsyncGenerator<ImportEvent>;
  /** Counters so far (a snapshot). */
  summary(): ImportSummary;
}

/** Creates an import session (§5). Import files in `ENTITY_ORDER` so references resolve. */
export function createImportSession(deps: ImportDeps): ImportSession {
  const nowMs = deps.now().getTime();
  const known = deps.knownKeys ?? NO_KNOWN_KEYS;
  const index = deps.keyIndex ?? createMemoryKeyIndex();
  const summary: ImportSummary = { read: 0, accepted: 0, rejected: 0, rejectedByReason: {}, fatal: 0 };

  function reject(file: string | undefined, line: number, field: string | undefined, reason: RejectReason, message: string): ImportEvent {
    summary.rejected++;
    summary.rejectedByReason[reason] = (summary.rejectedByReason[reason] ?? 0) + 1;
    const r: Reject = { line, reason, message };
    if (file !== undefined) r.file = file;
    if (field !== undefined) r.field = field;
    return { kind: 'rejected', reject: r };
  }

  async function* run(items: AsyncIterable<ReadItem>, mapper: RowMapper, file?: string): AsyncGenerator<ImportEvent> {
    const entity = mapper.entity;
    const schema = ENTITY_SCHEMAS[entity];
    const plausible = plausibilityCheck(entity, nowMs);
    const refs = Object.entries(FIELD_DICTIONARY[entity] as Record<string, FieldSpec>)
      .filter(([, s]) => s.references)
      .map(([f, s]) => [f, s.references!] as const);
    let first = true;
    try {
      for await (const item of items) {
        if ('malformed' in item) {
          summary.read++;
          yield reject(file, item.line, undefined, 'malformed_row', item.malformed);
          continue;
        }
        if (first && mapper.columns.length > 0) {
          first = false;
          const missing = mapper.columns.filter((c) => !(c in item.record));
          if (missing.length) {
            summary.fatal++;
            yield { kind: 'fatal', file, code: 'COLUMNS_MISSING', line: 1, message: `header lacks mapped columns: ${missing.join(', ')}` };
            return;
          }
        }
        summary.read++;
        const mapped = mapper.map(item.record);
        if (!mapped.ok) {
          yield reject(file, item.line, mapped.failure.field, mapped.failure.reason, mapped.failure.message);
          continue;
        }
        const implausible = plausible(mapped.record);
        if (implausible) {
          yield reject(file, item.line, implausible.field, implausible.reason, implausible.message);
          continue;
        }
        const parsed = schema.safeParse(mapped.record);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const field = issue.path.length ? String(issue.path[0]) : undefined;
          yield reject(file, item.line, field, 'invalid_value', `${field ?? 'record'}: ${issue.message}`);
          continue;
        }
        // zod validated it without transforming; keep the mapper's object (keys already in RFC 8785 order)
        const record = mapped.record as EntityRecord<typeof entity>;
        const key = naturalKey(entity, record);
        const earlier = index.lineOf(key);
        if (earlier !== undefined) {
          yield reject(file, item.line, undefined, 'duplicate_key', `natural key already imported at line ${earlier}`);
          continue;
        }
        let missingRef: string | undefined;
        for (const [field, target] of refs) {
          const ref = (record as Record<string, unknown>)[field];
          if (typeof ref !== 'string') continue;
          const k = refKey(target, ref);
          if (index.lineOf(k) !== undefined) continue;
          const has = known.has(k);
          if (!(typeof has === 'boolean' ? has : await has)) {
            missingRef = field;
            break;
          }
        }
        if (missingRef) {
          yield reject(file, item.line, missingRef, 'unknown_reference', `${missingRef} refers to an unknown record`);
          continue;
        }
        index.add(key, item.line);
        summary.accepted++;
        const accepted = { line: item.line, entity, key, hash: contentHash(record), record } as AcceptedRecord;
        if (file !== undefined) accepted.file = file;
        yield { kind: 'accepted', accepted };
      }
    } catch (err) {
      if (!(err instanceof ReaderError)) throw err;
      summary.fatal++;
      yield { kind: 'fatal', file, code: err.code, line: err.line, message: err.message };
    }
  }

  return {
    run,
    summary: () => ({ ...summary, rejectedByReason: { ...summary.rejectedByReason } }),
  };
}
