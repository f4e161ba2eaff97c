/**
 * Member data import (docs/mappings.md "Running an import"): streams a member's export files through
 * their mapping and the cleaning pipeline into the record store in batches (memory stays flat),
 * writes every reject to a rejects file, records the run, then derives and publishes the signals of
 * the subjects whose records changed.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { eq } from 'drizzle-orm';
import {
  compileFileMapping, createImportSession, createRejectsWriter, loadMappingFile, formatMappingIssues, parseMapping, readFileSourceChunks, readSourceChunks,
  selectFileMapping, ENTITY_ORDER, type EntityName, type FileMapping, type Mapping, type MappingIssue, type ReadItem, type RejectReason,
} from '../../adapters/member';
import type { Logger } from '../observability/logger';
import type { CollectGarbage } from '../observability/memory';
import type { PublishService } from '../signals/publish';
import type { BulkTransaction } from '../store/bulk';
import type { Db } from '../store/database';
import { importRuns } from '../store/schema';
import type { SubjectService } from '../subjects/service';
import { createDerivation, type DerivationSummary } from './derivation';
import { createRecordRepository, type RecordBatch } from './repository';

/** One input file: a path, or a named stream (the name selects the mapping section). */
export type ImportFile = string | { name: string; stream: AsyncIterable<Uint8Array | string> };

/** Progress of a running import. */
export interface ImportProgress {
  phase: 'records' | 'signals';
  file?: string;
  read: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  subjectsDerived: number;
}

/** Signal counters of an import (`pending`: subjects left for the running node to derive). */
export interface ImportSignalCounts { published: number; retracted: number; skippedNoConsent: number; failed: number; pending: boolean }

/** The summary of an import (§5.6 plus storage and signal outcomes). */
export interface ImportRunSummary {
  read: number;
  accepted: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** Files that could not be read to the end (syntax, missing columns), as `file: CODE at line N`. */
  fatal: string[];
  signals: ImportSignalCounts;
}

/** What to import. Exactly one of `mapping` or `mappingPath`. */
export interface ImportRequest {
  /** A mapping object (validated like a file; the format's defaults apply). */
  mapping?: unknown;
  mappingPath?: string;
  /** Label of the mapping in the run record (default: the file base name, or `inline`). */
  mappingName?: string;
  files: ImportFile[];
  /** Where the rejects CSV goes (default `<workDir>/<id>/rejects.csv`). */
  rejectsPath?: string;
  onProgress?: (p: ImportProgress) => void;
  /** Skip signal derivation (the subjects stay pending for the next derivation pass). */
  deferDerivation?: boolean;
}

/** An import that could not start. */
export type ImportRefusal =
  | { ok: false; code: 'not-joined'; message: string }
  | { ok: false; code: 'import-mapping-invalid'; message: string; issues: MappingIssue[] }
  | { ok: false; code: 'import-file-unmatched'; message: string; unmatched: string[] };

/** A finished import. `status` is `failed` when nothing could be imported or storage failed. */
export interface ImportResult { ok: true; id: string; status: 'succeeded' | 'failed'; summary: ImportRunSummary; rejectsPath: string; error?: string }

/** Dependencies of {@link createImportService}. */
export interface ImportServiceDeps {
  db: Db;
  /** Bulk transactions over the same database (`Database.bulk`). */
  bulk: BulkTransaction;
  /** Null until the node has joined a consortium (no pseudonymization key yet). */
  subjects: SubjectService | null;
  /** Null when signals cannot be published from this process: subjects stay pending derivation. */
  publish: Pick<PublishService, 'publishForSubjects'> | null;
  /** The node's storage key (secretbox) for personal fields. */
  storageKey: Uint8Array;
  /** Directory for import spools and rejects files (e.g. `<node dir>/imports`). */
  workDir: string;
  now: () => Date;
  random: (n: number) => Uint8Array;
  logger: Logger;
  /** Records per database batch (default 5000, at most 20,000). */
  batchSize?: number;
  /**
   * Batches written concurrently (default 1, at most 4). On PostgreSQL 2 lets the server insert on
   * two cores; on PGlite (one connection, in-process) keep 1.
   */
  parallelWrites?: number;
  /**
   * A full garbage collection, run after every {@link GC_EVERY_ROWS} rows written so the process's
   * memory stays flat however large the files (see node/observability/memory.ts). Omitted: none.
   */
  collectGarbage?: CollectGarbage;
  /** Rows written between two collections (default {@link GC_EVERY_ROWS}). */
  gcEveryRows?: number;
}

/** Rows written between two full garbage collections of an import (when `collectGarbage` is given). */
export const GC_EVERY_ROWS = 50_000;

interface Planned { name: string; section: FileMapping; open: () => AsyncGenerator<ReadItem[]> }

const emptySummary = (): ImportRunSummary => ({
  read: 0, accepted: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, rejectedByReason: {}, fatal: [],
  signals: { published: 0, retracted: 0, skippedNoConsent: 0, failed: 0, pending: false },
});

/** Creates the import service. */
export function createImportService(deps: ImportServiceDeps) {
  const { db } = deps;
  const batchSize = Math.max(1, Math.min(deps.batchSize ?? 5000, 20_000));
  const writers = Math.max(1, Math.min(deps.parallelWrites ?? 1, 4));
  const subjects = deps.subjects;
  const records = createRecordRepository({
    db, bulk: deps.bulk, storageKey: deps.storageKey, now: deps.now, random: deps.random,
    resolveSubjects: async (identifiers) => (await subjects!.resolveMany(identifiers)).map((r) => (r.ok ? r.pseudonym : null)),
  });
  const derivation = deps.publish ? createDerivation({ db, publish: deps.publish, now: deps.now, logger: deps.logger }) : null;
  const newId = () => `imp-${Buffer.from(deps.random(12)).toString('hex')}`;

  /** Validates the mapping and matches every file to a section, in dependency order. */
  async function prepare(req: ImportRequest): Promise<{ ok: true; mapping: Mapping; label: string; files: Planned[] } | ImportRefusal> {
    if (!subjects) return { ok: false, code: 'not-joined', message: 'this node has not joined a consortium; run consortium-node join before importing' };
    // Inline mappings are validated too: validation also applies the format's defaults.
    const loaded = req.mapping
      ? parseMapping(req.mapping)
      : req.mappingPath
        ? await loadMappingFile(req.mappingPath).catch((err: Error) => ({ ok: false as const, issues: [{ path: '', message: `cannot read the mapping file (${(err as NodeJS.ErrnoException).code ?? err.message})` }] }))
        : parseMapping(undefined);
    if (!loaded.ok) return { ok: false, code: 'import-mapping-invalid', message: `the mapping is invalid: ${formatMappingIssues(loaded.issues)}`, issues: loaded.issues };
    const mapping = loaded.mapping;
    const files: Planned[] = [];
    const unmatched: string[] = [];
    for (const f of req.files) {
      const name = typeof f === 'string' ? basename(f) : f.name;
      const section = selectFileMapping(mapping, name);
      if (!section) unmatched.push(name);
      else files.push({ name, section, open: () => (typeof f === 'string' ? readFileSourceChunks(f, section.source) : readSourceChunks(f.stream, section.source)) });
    }
    if (unmatched.length || !files.length) {
      return { ok: false, code: 'import-file-unmatched', message: `no section of the mapping matches ${unmatched.length ? unmatched.join(', ') : 'any file (no files given)'}`, unmatched };
    }
    const rank = (p: Planned) => ENTITY_ORDER.indexOf(p.section.entity as EntityName);
    files.sort((a, b) => rank(a) - rank(b));
    const label = req.mappingName ?? (req.mappingPath ? basename(req.mappingPath) : 'inline');
    return { ok: true, mapping, label, files };
  }

  async function createRun(id: string, label: string, files: Planned[], status: 'queued' | 'running', rejectsPath: string) {
    await db.insert(importRuns).values({ id, status, mapping: label, files: files.map((f) => f.name), summary: emptySummary(), rejectsPath, startedAt: deps.now() });
  }

  async function execute(id: string, prepared: { mapping: Mapping; files: Planned[] }, req: ImportRequest, rejectsPath: string): Promise<ImportResult> {
    const summary = emptySummary();
    const progress = (phase: ImportProgress['phase'], file?: string, subjectsDerived = 0) =>
      req.onProgress?.({ phase, ...(file ? { file } : {}), read: summary.read, accepted: summary.accepted, rejected: summary.rejected, inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged, subjectsDerived });
    const save = (patch: Partial<typeof importRuns.$inferInsert> = {}) => db.update(importRuns).set({ summary, ...patch }).where(eq(importRuns.id, id));
    await save({ status: 'running' });
    let writer: ReturnType<typeof createRejectsWriter> | undefined;
    try {
      await mkdir(join(rejectsPath, '..'), { recursive: true });
      writer = createRejectsWriter(createWriteStream(rejectsPath, { mode: 0o600 }), 'csv');
      records.beginImport();
      const session = createImportSession({ now: deps.now, knownKeys: records });
      // Pipelined: batches are written while the next is read and cleaned (the database round trip
      // overlaps CPU work); at most `writers` batches are in flight, so memory stays flat. Records are
      // staged as they are accepted (most are encoded for COPY at once, see RecordBatch).
      let batch: RecordBatch | undefined;
      let sinceCollection = 0;
      const inFlight = new Set<Promise<void>>();
      let failure: { err: unknown } | undefined;
      const write = async (full: RecordBatch, file: string) => {
        const size = full.size;
        const res = await full.commit();
        for (const o of res.outcomes) summary[o]++;
        sinceCollection += size;
        if (deps.collectGarbage && sinceCollection >= (deps.gcEveryRows ?? GC_EVERY_ROWS)) {
          sinceCollection = 0;
          deps.collectGarbage();
        }
        Object.assign(summary, pick(session.summary()));
        await save();
        progress('records', file);
      };
      const check = () => {
        if (failure) throw failure.err;
      };
      const drain = async () => {
        await Promise.all(inFlight);
        check();
      };
      const flush = async (file: string, limit: number) => {
        if (!batch?.size) return;
        const full = batch;
        batch = undefined;
        while (inFlight.size >= limit) await Promise.race(inFlight);
        check();
        const p: Promise<void> = write(full, file)
          .catch((err: unknown) => { failure ??= { err }; })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      };
      try {
        for (const f of prepared.files) {
          // Customers resolve (and record) subjects as they are written: one batch at a time.
          const entity = f.section.entity as EntityName;
          const limit = entity === 'customer' ? 1 : writers;
          const items = f.open();
          for await (const events of session.runBatches(items, compileFileMapping(prepared.mapping, f.section), f.name)) {
            for (const ev of events) {
              if (ev.kind === 'accepted') {
                (batch ??= records.openBatch(entity, id)).add(ev.accepted);
                if (batch.size >= batchSize) await flush(f.name, limit);
              } else if (ev.kind === 'rejected') {
                await writer.write(ev.reject);
              } else {
                summary.fatal.push(`${f.name}: ${ev.code} at line ${ev.line}${ev.code === 'COLUMNS_MISSING' ? ` (${ev.message})` : ''}`);
              }
            }
          }
          await flush(f.name, limit);
          await drain();
          Object.assign(summary, pick(session.summary()));
          progress('records', f.name);
        }
      } finally {
        await Promise.all(inFlight);
      }
      await writer.close();
      writer = undefined;
      if (derivation && !req.deferDerivation) {
        const d = await derivation.derivePending({ onSubject: (n) => { if (n % 100 === 0) progress('signals', undefined, n); } });
        addSignals(summary, d);
        progress('signals', undefined, d.subjects);
      } else summary.signals.pending = summary.inserted + summary.updated > 0;
      const status = summary.accepted > 0 ? 'succeeded' : 'failed';
      await save({ status, finishedAt: deps.now(), ...(status === 'failed' ? { error: 'nothing could be imported' } : {}) });
      return { ok: true, id, status, summary, rejectsPath, ...(status === 'failed' ? { error: 'nothing could be imported' } : {}) };
    } catch (err) {
      await writer?.close().catch(() => undefined);
      const message = `import failed: ${(err as Error).message}`.slice(0, 500);
      deps.logger.error({ importId: id, err: { name: (err as Error).name, message: (err as Error).message } }, 'import failed');
      await save({ status: 'failed', finishedAt: deps.now(), error: message }).catch(() => undefined);
      return { ok: true, id, status: 'failed', summary, rejectsPath, error: message };
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  const rejectsFor = (id: string, req: ImportRequest) => req.rejectsPath ?? join(deps.workDir, id, 'rejects.csv');

  return {
    /** Validates `req` without importing (for callers that answer before the import runs). */
    prepare,
    /** Runs an import to the end (after earlier queued imports) and returns its summary. */
    async runImport(req: ImportRequest): Promise<ImportResult | ImportRefusal> {
      const prepared = await prepare(req);
      if (!prepared.ok) return prepared;
      const id = newId();
      const rejectsPath = rejectsFor(id, req);
      await createRun(id, prepared.label, prepared.files, 'queued', rejectsPath);
      const run = queue.then(() => execute(id, prepared, req, rejectsPath));
      queue = run.catch(() => undefined);
      return run;
    },
    /** Queues an import and returns its id at once; `done` settles when it has run. Imports run one at a time. */
    async enqueue(req: ImportRequest): Promise<{ ok: true; id: string; done: Promise<ImportResult> } | ImportRefusal> {
      const prepared = await prepare(req);
      if (!prepared.ok) return prepared;
      const id = newId();
      const rejectsPath = rejectsFor(id, req);
      await createRun(id, prepared.label, prepared.files, 'queued', rejectsPath);
      const done = queue.then(() => execute(id, prepared, req, rejectsPath));
      queue = done.catch(() => undefined);
      return { ok: true, id, done };
    },
    /** The run record of import `id`, or null. */
    async get(id: string) {
      const rows = await db.select().from(importRuns).where(eq(importRuns.id, id)).limit(1);
      return rows[0] ?? null;
    },
    /**
     * Derives the signals of subjects left pending (imports run with `publish: null` or
     * `deferDerivation`), and with `includeNoConsent` of subjects skipped for lack of consent.
     * Call at node start and after consents are granted. Null when this service cannot publish.
     */
    derivePending: derivation ? (opts: { includeNoConsent?: boolean; subjects?: string[] } = {}) => derivation.derivePending(opts) : null,
  };
}

function pick(s: { read: number; accepted: number; rejected: number; rejectedByReason: Partial<Record<RejectReason, number>> }) {
  return { read: s.read, accepted: s.accepted, rejected: s.rejected, rejectedByReason: s.rejectedByReason };
}

function addSignals(summary: ImportRunSummary, d: DerivationSummary) {
  summary.signals = { published: d.published, retracted: d.retracted, skippedNoConsent: d.skippedNoConsent, failed: d.failed, pending: false };
}

/** The import service built by {@link createImportService}. */
export type ImportService = ReturnType<typeof createImportService>;
