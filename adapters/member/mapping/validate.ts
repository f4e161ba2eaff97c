/**
 * Validation of mapping files with error messages that name the offending path
 * (e.g. `files[0].fields.amount.unit: ...`), docs/mappings.md §6.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { CODE_LISTS } from '../standard/codes';
import { FIELD_DICTIONARY, type FieldSpec } from '../standard/dictionary';
import type { EntityName } from '../standard/entities';
import { isCurrencyCode } from '../standard/primitives';
import { MappingSchema, type FieldMapping, type FileMapping, type Mapping } from './schema';
import { dateFormatProblem, isTimeZone } from './time';

/** One problem found in a mapping file. */
export interface MappingIssue {
  /** Where, e.g. `files[1].fields.placedAt.format`; empty for the whole file. */
  path: string;
  message: string;
}

/** Outcome of {@link parseMapping}. */
export type MappingResult = { ok: true; mapping: Mapping } | { ok: false; issues: MappingIssue[] };

/** Largest mapping file read, in bytes. */
export const MAX_MAPPING_BYTES = 1_000_000;

const PATH_RE = /^[^.[\]]+(\[\d+\])*(\.[^.[\]]+(\[\d+\])*)*$/;

function joinPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

function zodIssues(error: z.ZodError): MappingIssue[] {
  return error.issues.map((i) => ({ path: joinPath(i.path), message: i.message }));
}

function checkField(name: string, spec: FieldSpec, fm: FieldMapping, file: FileMapping, at: string, out: MappingIssue[]): void {
  const add = (sub: string, message: string) => out.push({ path: sub ? `${at}.${sub}` : at, message });
  const sources = ['column', 'path', 'const'].filter((k) => fm[k as keyof FieldMapping] !== undefined);
  if (sources.length !== 1) add('', `field "${name}" needs exactly one of "column", "path" or "const" (found ${sources.length})`);
  if (fm.column !== undefined && file.source.type !== 'csv') add('column', '"column" is for csv sources; use "path" for ndjson');
  if (fm.path !== undefined && file.source.type !== 'ndjson') add('path', '"path" is for ndjson sources; use "column" for csv');
  if (fm.path !== undefined && !PATH_RE.test(fm.path)) add('path', 'JSON path must look like a.b[0].c');
  const fromSource = fm.const === undefined;
  if (spec.kind === 'amount' && fromSource && fm.unit === undefined) {
    add('unit', 'amount fields need "unit": "major" (decimal yuan) or "minor" (integer fen)');
  }
  if (spec.kind !== 'amount' && fm.unit !== undefined) add('unit', `"unit" only applies to amount fields; "${name}" is ${spec.kind}`);
  const timed = spec.kind === 'timestamp' || spec.kind === 'date';
  if (timed && fromSource && fm.format === undefined) {
    add('format', 'date fields need "format", e.g. "YYYY/MM/DD", "YYYY-MM-DD HH:mm:ss", "epoch_ms" or "iso8601"');
  }
  if (!timed && fm.format !== undefined) add('format', `"format" only applies to date fields; "${name}" is ${spec.kind}`);
  if (fm.format !== undefined && timed) {
    const problem = dateFormatProblem(fm.format);
    if (problem) add('format', problem);
  }
  if (fm.timeZone !== undefined && !isTimeZone(fm.timeZone)) add('timeZone', 'unknown time zone (use an IANA name such as Asia/Shanghai or +08:00)');
  const allowed = spec.kind === 'code' ? (CODE_LISTS[spec.codes!] as readonly string[]) : undefined;
  for (const [native, target] of Object.entries(fm.values ?? {})) {
    if (allowed && !allowed.includes(String(target))) {
      add(`values.${native}`, `"${String(target)}" is not in code list ${spec.codes} (${allowed.join(', ')})`);
    }
    if (spec.kind === 'boolean' && typeof target !== 'boolean') add(`values.${native}`, 'boolean fields map to true or false');
  }
  for (const [key, v] of [['const', fm.const], ['default', fm.default]] as const) {
    if (v !== undefined && allowed && !allowed.includes(String(v))) add(key, `"${String(v)}" is not in code list ${spec.codes}`);
  }
}

function checkSemantics(m: Mapping): MappingIssue[] {
  const out: MappingIssue[] = [];
  if (!isCurrencyCode(m.defaults.currency)) out.push({ path: 'defaults.currency', message: 'must be an ISO 4217 currency code' });
  if (!isTimeZone(m.defaults.timeZone)) out.push({ path: 'defaults.timeZone', message: 'unknown time zone' });
  m.files.forEach((file, i) => {
    const dict = FIELD_DICTIONARY[file.entity as EntityName] as Record<string, FieldSpec>;
    for (const [name, fm] of Object.entries(file.fields)) {
      const at = `files[${i}].fields.${name}`;
      const spec = dict[name];
      if (!spec) {
        out.push({ path: at, message: `"${name}" is not a field of ${file.entity} (fields: ${Object.keys(dict).join(', ')})` });
        continue;
      }
      checkField(name, spec, fm, file, at, out);
    }
    for (const [name, spec] of Object.entries(dict)) {
      if (spec.required && !(name in file.fields) && spec.kind !== 'currency') {
        out.push({ path: `files[${i}].fields`, message: `required field "${name}" of ${file.entity} is not mapped` });
      }
    }
  });
  return out;
}

/** Validates a parsed JSON value as a mapping: schema first, then the meaning of every field. */
export function parseMapping(input: unknown): MappingResult {
  const parsed = MappingSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const issues = checkSemantics(parsed.data);
  return issues.length ? { ok: false, issues } : { ok: true, mapping: parsed.data };
}

/** Reads and validates a mapping file; JSON syntax errors are reported as an issue at the root. */
export async function loadMappingFile(file: string): Promise<MappingResult> {
  const text = await readFile(file, 'utf8');
  if (text.length > MAX_MAPPING_BYTES) return { ok: false, issues: [{ path: '', message: 'mapping file too large' }] };
  try {
    return parseMapping(JSON.parse(text.replace(/^\uFEFF/, '')));
  } catch (err) {
    return { ok: false, issues: [{ path: '', message: `not valid JSON: ${(err as Error).message}` }] };
  }
}

/** Formats issues one per line as `path: message`, for CLI output. */
export function formatMappingIssues(issues: readonly MappingIssue[]): string {
  return issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('\n');
}

/** Picks the file section whose `match` glob (`*`, `?`) matches the file's base name. */
export function selectFileMapping(mapping: Mapping, baseName: string): FileMapping | undefined {
  return mapping.files.find((f) => globToRegExp(f.match).test(baseName));
}

function globToRegExp(glob: string): RegExp {
  const src = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${src}$`);
}
