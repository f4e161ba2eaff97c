/**
 * The import pipeline (docs/data-standard.md §5): reader items -> mapping -> plausibility ->
 * schema -> de-duplication -> referential check -> accepted standard records with natural key and
 * content hash, or rejects. Every read row ends up either accepted or rejected; nothing is dropped.
 */
import type { RowMapper } from '../mapping/compile';
import { FIELD_DICTIONARY, type FieldSpec } from '../standard/dictionary';
import { ENTITY_SCHEMAS, type EntityName, type EntityRecord } from '../standard/entities';
import { canonicalJson, contentHashOfJson, naturalKeyOf, refKey } from '../standard/keys';
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

/**
 * An accepted standard record, ready for an idempotent upsert keyed by `key` (§5.1-5.2). `json` is
 * the record's RFC 8785 canonical JSON (equal to `canonicalJson(record)`, computed once) and `hash`
 * its content hash (hex SHA-256 of `json`), so storage need not serialize the record again.
 */
export type AcceptedRecord = {
  [E in EntityName]: { file?: string; line: number; entity: E; key: string; hash: string; json: string; record: EntityRecord<E> };
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
  run(items: AsyncIterable<ReadItem | readonly ReadItem[]>, mapper: RowMapper, file?: string): AsyncGenerator<ImportEvent>;
  /**
   * {@link ImportSession.run} yielding the events in arrays of up to `size` (default 1000): the same
   * events in the same order, with one asynchronous step per array instead of per row (bulk imports).
   * `items` may also come in arrays (a reader's chunks, `readSourceChunks`), taken in one step each.
   */
  runBatches(items: AsyncIterable<ReadItem | readonly ReadItem[]>, mapper: RowMapper, file?: string, size?: number): AsyncGenerator<ImportEvent[]>;
  /** Counters so far (a snapshot). */
  summary(): ImportSummary;
}

/** Creates an import session (§5). Import files in `ENTITY_ORDER` so references resolve. */
export function createImportSession(deps: ImportDeps): ImportSession {
  const nowMs = deps.now().getTime();
  const known = deps.knownKeys ?? NO_KNOWN_KEYS;
  const index = deps.keyIndex ?? createMemoryKeyIndex();
  const summary: ImportSummary = { read: 0, accepted: 0, rejected: 0, rejectedByReason: {}, fatal: 0 };
  /**
   * Entities of which this import accepted a record: with the session's own index, a reference to
   * another entity needs no look in it (an index given in `deps` may hold keys from elsewhere).
   */
  const acceptedEntities = new Set<EntityName>();
  const ownIndex = deps.keyIndex === undefined;
  /** Whether the import itself accepted the record `target:ref`. */
  const acceptedHere = (target: EntityName, ref: string) => (!ownIndex || acceptedEntities.has(target)) && index.lineOf(refKey(target, ref)) !== undefined;
  /** Whether the node already stores the record `target:ref`. */
  const storedRef = known.hasRef ? known.hasRef.bind(known) : (target: EntityName, ref: string) => known.has(refKey(target, ref));

  function reject(file: string | undefined, line: number, field: string | undefined, reason: RejectReason, message: string): ImportEvent {
    summary.rejected++;
    summary.rejectedByReason[reason] = (summary.rejectedByReason[reason] ?? 0) + 1;
    const r: Reject = { line, reason, message };
    if (file !== undefined) r.file = file;
    if (field !== undefined) r.field = field;
    return { kind: 'rejected', reject: r };
  }

  /** Runs one item through mapping, checks, de-duplication and references; `undefined` when it is no record (fatal sets `stop`). */
  function compile(mapper: RowMapper, file: string | undefined) {
    const entity = mapper.entity;
    const schema = ENTITY_SCHEMAS[entity];
    const plausible = plausibilityCheck(entity, nowMs);
    const keyOf = naturalKeyOf(entity);
    const instantOf = mapper.instantOf?.bind(mapper);
    const refs = Object.entries(FIELD_DICTIONARY[entity] as Record<string, FieldSpec>)
      .filter(([, s]) => s.references)
      .map(([f, s]) => [f, s.references!] as const);
    let first = true;
    /** Canonical JSON of a mapped record: `JSON.stringify` of a checked one (canonical by construction). */
    const jsonOf = (m: { record: Record<string, unknown>; checked: boolean }) =>
      m.checked ? JSON.stringify(m.record) : canonicalJson(m.record);

    /** The accepted event once every reference resolved (`from`: index of the first unresolved-yet reference). */
    async function checkRefsAsync(line: number, key: string, record: EntityRecord<typeof entity>, json: string, from: number, pending: Promise<boolean>): Promise<ImportEvent> {
      if (!(await pending)) return reject(file, line, refs[from]![0], 'unknown_reference', `${refs[from]![0]} refers to an unknown record`);
      for (let i = from + 1; i < refs.length; i++) {
        const [field, target] = refs[i]!;
        const ref = (record as Record<string, unknown>)[field];
        if (typeof ref !== 'string') continue;
        if (acceptedHere(target, ref)) continue;
        if (!(await storedRef(target, ref))) return reject(file, line, field, 'unknown_reference', `${field} refers to an unknown record`);
      }
      // A key accepted while an asynchronous reference lookup was pending is still a duplicate.
      const earlier = index.lineOf(key);
      if (earlier !== undefined) return reject(file, line, undefined, 'duplicate_key', `natural key already imported at line ${earlier}`);
      return accept(line, key, record, json);
    }

    /** Accepts a record whose key is not in the index (checked by the caller just before). */
    function accept(line: number, key: string, record: EntityRecord<typeof entity>, json: string): ImportEvent {
      index.add(key, line);
      summary.accepted++;
      acceptedEntities.add(entity);
      const hash = contentHashOfJson(json);
      const accepted = (file !== undefined
        ? { file, line, entity, key, hash, json, record }
        : { line, entity, key, hash, json, record }) as AcceptedRecord;
      return { kind: 'accepted', accepted };
    }

    return (item: ReadItem): ImportEvent | Promise<ImportEvent> | undefined => {
      if ('malformed' in item) {
        summary.read++;
        return reject(file, item.line, undefined, 'malformed_row', item.malformed);
      }
      if (first && mapper.columns.length > 0) {
        first = false;
        const missing = mapper.columns.filter((c) => !(c in item.record));
        if (missing.length) {
          summary.fatal++;
          return { kind: 'fatal', file, code: 'COLUMNS_MISSING', line: 1, message: `header lacks mapped columns: ${missing.join(', ')}` };
        }
      }
      summary.read++;
      const mapped = mapper.map(item.record);
      if (!mapped.ok) return reject(file, item.line, mapped.failure.field, mapped.failure.reason, mapped.failure.message);
      const implausible = plausible(mapped.record, instantOf);
      if (implausible) return reject(file, item.line, implausible.field, implausible.reason, implausible.message);
      // valid by construction when every value passed the mapper's residual checks; otherwise the
      // schema decides (and words the reject)
      if (!mapped.checked) {
        const parsed = schema.safeParse(mapped.record);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const field = issue.path.length ? String(issue.path[0]) : undefined;
          return reject(file, item.line, field, 'invalid_value', `${field ?? 'record'}: ${issue.message}`);
        }
      }
      // zod would not transform it; keep the mapper's object and its canonical JSON
      const record = mapped.record as EntityRecord<typeof entity>;
      const key = keyOf(record);
      const earlier = index.lineOf(key);
      if (earlier !== undefined) return reject(file, item.line, undefined, 'duplicate_key', `natural key already imported at line ${earlier}`);
      for (let i = 0; i < refs.length; i++) {
        const [field, target] = refs[i]!;
        const ref = (record as Record<string, unknown>)[field];
        if (typeof ref !== 'string') continue;
        if (acceptedHere(target, ref)) continue;
        const has = storedRef(target, ref);
        if (typeof has !== 'boolean') return checkRefsAsync(item.line, key, record, jsonOf(mapped), i, has);
        if (!has) return reject(file, item.line, field, 'unknown_reference', `${field} refers to an unknown record`);
      }
      return accept(item.line, key, record, jsonOf(mapped));
    };
  }

  async function* runBatches(items: AsyncIterable<ReadItem | readonly ReadItem[]>, mapper: RowMapper, file?: string, size = 1000): AsyncGenerator<ImportEvent[]> {
    const step = compile(mapper, file);
    const max = Math.max(1, Math.min(size, 100_000));
    let out: ImportEvent[] = [];
    try {
      for await (const chunk of items) {
        const list = (Array.isArray(chunk) ? chunk : [chunk]) as readonly ReadItem[];
        for (let i = 0; i < list.length; i++) {
          // synchronous unless a reference lookup is pending (then awaited, in order)
          const r = step(list[i]!);
          const ev = r instanceof Promise ? await r : r;
          if (!ev) continue;
          out.push(ev);
          if (ev.kind === 'fatal') {
            yield out;
            return;
          }
          if (out.length >= max) {
            yield out;
            out = [];
          }
        }
      }
    } catch (err) {
      if (!(err instanceof ReaderError)) throw err;
      summary.fatal++;
      out.push({ kind: 'fatal', file, code: err.code, line: err.line, message: err.message });
    }
    if (out.length) yield out;
  }

  async function* run(items: AsyncIterable<ReadItem | readonly ReadItem[]>, mapper: RowMapper, file?: string): AsyncGenerator<ImportEvent> {
    for await (const batch of runBatches(items, mapper, file)) yield* batch;
  }

  return {
    run,
    runBatches,
    summary: () => ({ ...summary, rejectedByReason: { ...summary.rejectedByReason } }),
  };
}
