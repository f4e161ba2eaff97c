/**
 * Compiles one file section of a mapping into a fast row mapper (docs/mappings.md §3-5):
 * native record (CSV columns by header, or nested JSON) -> standard record of the section's entity.
 */
import { CODE_LISTS } from '../standard/codes';
import { FIELD_DICTIONARY, type FieldSpec } from '../standard/dictionary';
import type { EntityName } from '../standard/entities';
import { MAX_REF_LENGTH, MAX_TEXT_LENGTH } from '../standard/primitives';
import type { RejectReason } from '../clean/reasons';
import {
  amountConverter, booleanConverter, codeConverter, currencyConverter, Fail, integerConverter,
  subjectConverter, textConverter, timeConverter, type Converter,
} from './convert';
import type { FieldMapping, FileMapping, Mapping } from './schema';

/** A row mapping failure: the field and reason of the first problem found. */
export interface MapFailure { field: string; reason: RejectReason; message: string }

/** Result of mapping one native record. */
export type MapResult = { ok: true; record: Record<string, unknown> } | { ok: false; failure: MapFailure };

/** A compiled file section. */
export interface RowMapper {
  entity: EntityName;
  /** The CSV columns the mapping reads (to check the file's header). */
  columns: string[];
  map(native: Record<string, unknown>): MapResult;
}

type Getter = (native: Record<string, unknown>) => unknown;

function compilePath(path: string): Getter {
  const steps: (string | number)[] = [];
  for (const seg of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(seg)!;
    steps.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  return (native) => {
    let cur: unknown = native;
    for (const s of steps) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string | number, unknown>)[s];
    }
    return cur;
  };
}

function converterFor(spec: FieldSpec, fm: FieldMapping, tz: string): Converter {
  switch (spec.kind) {
    case 'ref': return textConverter(MAX_REF_LENGTH, 'ref');
    case 'text': return textConverter(MAX_TEXT_LENGTH, 'text');
    case 'subject': return subjectConverter(false);
    case 'phone': return subjectConverter(true);
    case 'amount': return amountConverter(fm.unit === 'minor' || fm.unit === 'fen' ? 'minor' : 'major');
    case 'currency': return currencyConverter;
    case 'integer': return integerConverter;
    case 'boolean': return booleanConverter;
    case 'code': return codeConverter(CODE_LISTS[spec.codes!], fm.values !== undefined);
    case 'timestamp': return timeConverter(fm.format ?? 'iso8601', fm.timeZone ?? tz, false);
    case 'date': return timeConverter(fm.format ?? 'iso8601', fm.timeZone ?? tz, true);
  }
}

interface CompiledField {
  name: string;
  required: boolean;
  isConst: boolean;
  get: Getter;
  values?: Map<string, unknown>;
  dflt?: unknown;
  convert: Converter;
}

/**
 * Compiles a validated file section (see `parseMapping`). Unmapped optional fields are omitted;
 * an unmapped `currency` takes `mapping.defaults.currency`.
 */
export function compileFileMapping(mapping: Mapping, file: FileMapping): RowMapper {
  const entity = file.entity as EntityName;
  const dict = FIELD_DICTIONARY[entity] as Record<string, FieldSpec>;
  const empty = new Set(file.emptyValues);
  const fields: CompiledField[] = [];
  const columns: string[] = [];
  const entries = Object.entries(dict);
  // currency first: amount conversion needs the record's currency exponent
  entries.sort(([, a], [, b]) => Number(b.kind === 'currency') - Number(a.kind === 'currency'));
  for (const [name, spec] of entries) {
    let fm = file.fields[name];
    if (!fm && spec.kind === 'currency' && (spec.required || Object.values(dict).some((s) => s.kind === 'amount'))) {
      fm = { const: mapping.defaults.currency };
    }
    if (!fm) continue;
    if (fm.column !== undefined) columns.push(fm.column);
    const column = fm.column;
    const constant = fm.const;
    const get: Getter = column !== undefined ? (n) => n[column] : fm.path !== undefined ? compilePath(fm.path) : () => constant;
    fields.push({
      name,
      required: spec.required,
      isConst: fm.const !== undefined,
      get,
      values: fm.values ? new Map(Object.entries(fm.values)) : undefined,
      dflt: fm.default,
      convert: converterFor(spec, fm, mapping.defaults.timeZone),
    });
  }
  const amountsNeedCurrency = fields.some((f) => dict[f.name]!.kind === 'amount');
  // output keys in sorted order, so the record is already in RFC 8785 key order for hashing
  const outputOrder = fields.map((f, i) => [f.name, i] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const values: unknown[] = new Array(fields.length);
  return {
    entity,
    columns,
    map(native) {
      let currency: string | undefined;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        values[i] = undefined;
        let raw = f.get(native);
        if (typeof raw === 'string') {
          raw = raw.trim();
          if (empty.has(raw as string)) raw = undefined;
        }
        if (raw === null || raw === undefined) raw = f.dflt;
        if (raw === undefined) {
          if (f.required) return fail(f.name, 'missing_required', `required field ${f.name} is empty`);
          continue;
        }
        if (f.values && !f.isConst) {
          const hit = f.values.get(String(raw));
          if (hit !== undefined) raw = hit;
        }
        const v = f.convert(raw, currency);
        if (v instanceof Fail) return fail(f.name, v.reason, `${f.name}: ${v.message}`);
        values[i] = v;
        if (f.name === 'currency') currency = v as string;
      }
      const record: Record<string, unknown> = {};
      for (const [name, i] of outputOrder) {
        if (values[i] !== undefined && (name !== 'currency' || amountsNeedCurrency)) record[name] = values[i];
      }
      return { ok: true, record };
    },
  };
}

function fail(field: string, reason: RejectReason, message: string): MapResult {
  return { ok: false, failure: { field, reason, message } };
}
