/**
 * Encoding synthetic rows in a member's native format, writing export files with the physical line
 * of every row, and generating the matching mapping file (docs/mappings.md, docs/data-standard.md §8.2).
 */
import { MAPPING_FORMAT } from '../mapping/schema';
import type { SynthEntity } from './model';
import { specOf, type FormatSpec } from './formats';

const CST = 8 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** Encodes an amount in fen in the format's unit (negative amounts allowed, for defects). */
export function encodeAmount(f: FormatSpec, fen: number): string | number {
  if (f.amountUnit === 'minor') return f.source.type === 'ndjson' ? fen : String(fen);
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${pad(abs % 100)}`;
}

/** Encodes an instant (epoch ms) in the format's timestamp format, Asia/Shanghai local time. */
export function encodeTimestamp(f: FormatSpec, ms: number): string | number {
  if (f.timestampFormat === 'epoch_ms') return ms;
  const d = new Date(ms + CST);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (f.timestampFormat === 'YYYY/MM/DD') return date.replace(/-/g, '/');
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Encodes a local calendar date `YYYY-MM-DD` in the format's date format. */
export function encodeDate(f: FormatSpec, date: string): string | number {
  if (f.dateFormat === 'epoch_ms') return Date.parse(`${date}T00:00:00Z`) - CST;
  return f.dateFormat === 'YYYY/MM/DD' ? date.replace(/-/g, '/') : date;
}

function encodeValue(f: FormatSpec, entity: SynthEntity, field: string, v: unknown): unknown {
  const spec = specOf(entity, field);
  switch (spec.kind) {
    case 'amount': return encodeAmount(f, v as number);
    case 'timestamp': return encodeTimestamp(f, v as number);
    case 'date': return encodeDate(f, v as string);
    case 'boolean': return v ? f.booleans[0] : f.booleans[1];
    case 'code': return f.codes[spec.codes!]?.[v as string] ?? v;
    case 'subject': case 'phone': return String(v).replace(/^(cn-rid:|tel:\+86)/, '');
    default: return f.source.type === 'csv' ? String(v) : v;
  }
}

/** Sets `value` at dotted `path` in `obj`, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1]!] = value;
}

/** Removes the value at dotted `path` (a missing-field defect). */
export function deletePath(obj: Record<string, unknown>, path: string): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> | undefined = obj;
  for (const p of parts.slice(0, -1)) cur = cur?.[p] as Record<string, unknown> | undefined;
  if (cur) delete cur[parts[parts.length - 1]!];
}

/** Encodes one synthetic row natively: flat (CSV, header -> cell) or nested (NDJSON). */
export function toNative(f: FormatSpec, entity: SynthEntity, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, where] of Object.entries(f.fields[entity])) {
    const v = field === 'currency' ? 'CNY' : row[field];
    if (v === undefined) {
      if (f.source.type === 'csv') out[where] = '';
      continue;
    }
    const enc = encodeValue(f, entity, field, v);
    if (f.source.type === 'csv') out[where] = enc;
    else setPath(out, where, enc);
  }
  const extra = f.extras?.[entity];
  if (extra) out[extra] = '';
  return out;
}

function csvCell(v: unknown, delimiter: string): string {
  const s = v === undefined || v === null ? '' : String(v);
  return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Serializes native rows to file text; `lines[i]` is the physical line row `i` starts on. */
export function serialize(f: FormatSpec, entity: SynthEntity, rows: readonly Record<string, unknown>[]): { text: string; lines: number[] } {
  const parts: string[] = [];
  const lines: number[] = [];
  let line = 1;
  if (f.source.type === 'csv') {
    const d = f.source.delimiter;
    const header = [...Object.values(f.fields[entity]), ...(f.extras?.[entity] ? [f.extras[entity]!] : [])];
    parts.push((f.source.bom ? '\uFEFF' : '') + header.map((h) => csvCell(h, d)).join(d) + '\n');
    line++;
    for (const r of rows) {
      const text = header.map((h) => csvCell(r[h], d)).join(d);
      lines.push(line);
      line += 1 + (text.match(/\n/g)?.length ?? 0);
      parts.push(text + '\n');
    }
  } else {
    for (const r of rows) {
      lines.push(line++);
      parts.push(JSON.stringify(r) + '\n');
    }
  }
  return { text: parts.join(''), lines };
}

/** The mapping file (JSON value) that maps format `f`'s exports to the standard. */
export function mappingFor(f: FormatSpec, member: string): Record<string, unknown> {
  const files = (Object.keys(f.files) as SynthEntity[]).map((entity) => {
    const fields: Record<string, Record<string, unknown>> = {};
    for (const [field, where] of Object.entries(f.fields[entity])) {
      const spec = specOf(entity, field);
      const fm: Record<string, unknown> = f.source.type === 'csv' ? { column: where } : { path: where };
      if (spec.kind === 'amount') fm.unit = f.amountUnit;
      if (spec.kind === 'timestamp') fm.format = f.timestampFormat;
      if (spec.kind === 'date') fm.format = f.dateFormat;
      if (spec.kind === 'code' && f.codes[spec.codes!]) {
        fm.values = Object.fromEntries(Object.entries(f.codes[spec.codes!]!).map(([std, native]) => [native, std]));
      }
      if (spec.kind === 'boolean' && typeof f.booleans[0] === 'string') {
        fm.values = { [f.booleans[0]]: true, [String(f.booleans[1])]: false };
      }
      fields[field] = fm;
    }
    const source = f.source.type === 'csv' ? { type: 'csv', delimiter: f.source.delimiter } : { type: 'ndjson' };
    return { match: f.files[entity], entity, source, fields };
  });
  return {
    format: MAPPING_FORMAT,
    member,
    description: `Synthetic member ${member}: ${f.description}`,
    defaults: { currency: 'CNY', timeZone: 'Asia/Shanghai' },
    files,
  };
}
