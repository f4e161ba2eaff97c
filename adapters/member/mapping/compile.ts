/**
 * Compiles one file section of a mapping into a fast row mapper (docs/mappings.md §3-5):
 * native record (CSV columns by header, or nested JSON) -> standard record of the section's entity.
 */
import type { z } from 'zod';
import { CODE_LISTS } from '../standard/codes';
import { FIELD_DICTIONARY, type FieldSpec } from '../standard/dictionary';
import { ENTITY_SCHEMAS, type EntityName } from '../standard/entities';
import { MAX_REF_LENGTH, MAX_TEXT_LENGTH } from '../standard/primitives';
import type { RejectReason } from '../clean/reasons';
import { residualCheck, type ValueCheck } from './checks';
import {
  amountConverter, booleanConverter, codeConverter, currencyConverter, Fail, integerConverter,
  subjectConverter, textConverter, timeConverter, type ConvertContext, type Converter,
} from './convert';
import type { FieldMapping, FileMapping, Mapping } from './schema';

/** A row mapping failure: the field and reason of the first problem found. */
export interface MapFailure { field: string; reason: RejectReason; message: string }

/**
 * Result of mapping one native record. `record` has only dictionary fields, its keys in RFC 8785
 * order (sorted by UTF-16 code units) and only string, safe-integer and boolean values, so
 * `JSON.stringify(record)` is its canonical JSON. `checked`: every value passed the residual checks
 * (see `./checks`), so the record satisfies its entity schema by construction and is in that
 * canonical form; when false the schema must decide.
 */
export type MapResult = { ok: true; record: Record<string, unknown>; checked: boolean } | { ok: false; failure: MapFailure };

/** A compiled file section. */
export interface RowMapper {
  entity: EntityName;
  /** The CSV columns the mapping reads (to check the file's header). */
  columns: string[];
  map(native: Record<string, unknown>): MapResult;
  /**
   * UTC instant (ms) of timestamp field `field` in the record the latest successful `map` call
   * returned (what `Date.parse` of its value gives), or undefined when that record has no such value
   * or the field is not a timestamp. Lets plausibility checks skip re-parsing what was just formatted.
   */
  instantOf?(field: string): number | undefined;
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
  /** The converted constant of a `const` field whose conversion needs no row context. */
  fixed?: { value: unknown; checked: boolean };
  required: boolean;
  isConst: boolean;
  isCurrency: boolean;
  isTimestamp: boolean;
  get: Getter;
  values?: Map<string, unknown>;
  dflt?: unknown;
  convert: Converter;
  check?: ValueCheck;
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
      isCurrency: spec.kind === 'currency',
      isTimestamp: spec.kind === 'timestamp',
      get,
      values: fm.values ? new Map(Object.entries(fm.values)) : undefined,
      dflt: fm.default,
      convert: converterFor(spec, fm, mapping.defaults.timeZone),
      check: residualCheck(spec, (ENTITY_SCHEMAS[entity].shape as Record<string, z.ZodType>)[name]!),
    });
    // a constant converts the same on every row unless it depends on the row's currency (amounts)
    // or reports an instant (times): convert it once; a failing constant still fails every row
    const f = fields[fields.length - 1]!;
    const plainConstant = typeof constant !== 'string' || (constant.trim() === constant && !empty.has(constant));
    if (constant !== undefined && plainConstant && spec.kind !== 'amount' && spec.kind !== 'timestamp' && spec.kind !== 'date') {
      const value = f.convert(constant, { currency: undefined, instant: NaN });
      if (!(value instanceof Fail)) f.fixed = { value, checked: f.check === undefined || f.check(value) };
    }
  }
  const amountsNeedCurrency = fields.some((f) => dict[f.name]!.kind === 'amount');
  // output keys in sorted order, so the record is already in RFC 8785 key order for hashing
  const order = fields.map((f, i) => [f.name, i] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .filter(([name]) => name !== 'currency' || amountsNeedCurrency);
  const outNames = order.map(([name]) => name);
  const outIndex = order.map(([, i]) => i);
  const nOut = order.length;
  const n = fields.length;
  const onlyEmptyString = empty.size === 1 && empty.has('');
  const values: unknown[] = new Array(n);
  const instants = new Float64Array(n);
  const timestampIndex = new Map(fields.flatMap((f, i) => (f.isTimestamp ? [[f.name, i] as const] : [])));
  const ctx: ConvertContext = { currency: undefined, instant: NaN };
  return {
    entity,
    columns,
    map(native) {
      ctx.currency = undefined;
      let checked = true;
      for (let i = 0; i < n; i++) {
        const f = fields[i]!;
        instants[i] = NaN;
        if (f.fixed !== undefined) {
          values[i] = f.fixed.value;
          if (!f.fixed.checked) checked = false;
          if (f.isCurrency) ctx.currency = f.fixed.value as string;
          continue;
        }
        values[i] = undefined;
        let raw = f.get(native);
        if (typeof raw === 'string') {
          raw = raw.trim();
          if (onlyEmptyString ? raw === '' : empty.has(raw as string)) raw = undefined;
        }
        if (raw === null || raw === undefined) raw = f.dflt;
        if (raw === undefined) {
          if (f.required) return fail(f.name, 'missing_required', `required field ${f.name} is empty`);
          continue;
        }
        if (f.values && !f.isConst) {
          const hit = f.values.get(typeof raw === 'string' ? raw : String(raw));
          if (hit !== undefined) raw = hit;
        }
        ctx.instant = NaN;
        const v = f.convert(raw, ctx);
        if (v instanceof Fail) return fail(f.name, v.reason, `${f.name}: ${v.message}`);
        values[i] = v;
        if (f.isTimestamp) instants[i] = ctx.instant;
        if (f.check !== undefined && !f.check(v)) checked = false;
        if (f.isCurrency) ctx.currency = v as string;
      }
      const record: Record<string, unknown> = {};
      for (let k = 0; k < nOut; k++) {
        const v = values[outIndex[k]!];
        if (v !== undefined) record[outNames[k]!] = v;
      }
      return { ok: true, record, checked };
    },
    instantOf(field) {
      const i = timestampIndex.get(field);
      if (i === undefined) return undefined;
      const t = instants[i]!;
      return t === t ? t : undefined;
    },
  };
}

function fail(field: string, reason: RejectReason, message: string): MapResult {
  return { ok: false, failure: { field, reason, message } };
}
