/**
 * Multi-file imports (docs/mappings.md §1): match each file to its mapping section, order the files
 * so referenced entities come first, and stream them through one import session.
 */
import { basename } from 'node:path';
import { createImportSession, type ImportDeps, type ImportEvent, type ImportSession } from './clean/pipeline';
import { compileFileMapping } from './mapping/compile';
import type { FileMapping, Mapping } from './mapping/schema';
import { selectFileMapping } from './mapping/validate';
import { readFileSourceChunks } from './readers';
import { ENTITY_ORDER, type EntityName } from './standard/entities';

/** A file matched to its mapping section. */
export interface PlannedFile { path: string; section: FileMapping }

/** Outcome of {@link planImport}: every file matched, or the base names that matched no section. */
export type ImportPlan = { ok: true; files: PlannedFile[] } | { ok: false; unmatched: string[] };

/** Matches `paths` to sections of `mapping` by base name and sorts them in `ENTITY_ORDER`. */
export function planImport(mapping: Mapping, paths: readonly string[]): ImportPlan {
  const files: PlannedFile[] = [];
  const unmatched: string[] = [];
  for (const path of paths) {
    const section = selectFileMapping(mapping, basename(path));
    if (section) files.push({ path, section });
    else unmatched.push(basename(path));
  }
  if (unmatched.length) return { ok: false, unmatched };
  const rank = (f: PlannedFile) => ENTITY_ORDER.indexOf(f.section.entity as EntityName);
  files.sort((a, b) => rank(a) - rank(b));
  return { ok: true, files };
}

/** Streams every planned file through `session` (files labelled by base name in rejects). */
export async function* runImport(mapping: Mapping, files: readonly PlannedFile[], session: ImportSession): AsyncGenerator<ImportEvent> {
  for (const f of files) {
    yield* session.run(readFileSourceChunks(f.path, f.section.source), compileFileMapping(mapping, f.section), basename(f.path));
  }
}

/** Convenience: plan and run an import of `paths` with a fresh session. */
export function importFiles(mapping: Mapping, paths: readonly string[], deps: ImportDeps):
  { ok: true; session: ImportSession; events: AsyncGenerator<ImportEvent> } | { ok: false; unmatched: string[] } {
  const plan = planImport(mapping, paths);
  if (!plan.ok) return plan;
  const session = createImportSession(deps);
  return { ok: true, session, events: runImport(mapping, plan.files, session) };
}
