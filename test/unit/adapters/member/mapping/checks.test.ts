import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFileMapping, type RowMapper } from '../../../../../adapters/member/mapping/compile';
import { parseMapping } from '../../../../../adapters/member/mapping/validate';
import { CODE_LISTS } from '../../../../../adapters/member/standard/codes';
import { FIELD_DICTIONARY, type FieldSpec } from '../../../../../adapters/member/standard/dictionary';
import { ENTITY_ORDER, ENTITY_SCHEMAS, type EntityName } from '../../../../../adapters/member/standard/entities';
import { canonicalJson } from '../../../../../adapters/member/standard/keys';
import { residentIdCheckChar } from '../../../../../protocol/subject';

/** How the generated mapping reads times, amounts and empties (one section per variant and entity). */
const VARIANTS = [
  { timestamp: 'YYYY-MM-DD HH:mm:ss', date: 'YYYY/MM/DD', unit: 'yuan', timeZone: 'Asia/Shanghai', emptyValues: [''] },
  { timestamp: 'iso8601', date: 'iso8601', unit: 'fen', timeZone: 'America/New_York', emptyValues: ['NULL'] },
  { timestamp: 'epoch_ms', date: 'D.M.YYYY', unit: 'major', timeZone: '-09:30', emptyValues: [] as string[] },
  { timestamp: 'YYYY/MM/DDTHH:mm:ss.SSS', date: 'epoch_s', unit: 'minor', timeZone: 'Pacific/Kiritimati', emptyValues: ['', '-'] },
  // constants (converted once when the mapping is compiled) for codes, currency, booleans and texts
  { timestamp: 'iso8601', date: 'YYYY-MM-DD', unit: 'yuan', timeZone: 'Europe/Berlin', emptyValues: [''], constants: true },
] as const;
type Variant = (typeof VARIANTS)[number];

function mapperFor(entity: EntityName, v: Variant): RowMapper {
  const dict = FIELD_DICTIONARY[entity] as Record<string, FieldSpec>;
  const fields: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(dict)) {
    const constant = 'constants' in v ? constantFor(spec) : undefined;
    if (constant !== undefined) {
      fields[name] = { const: constant };
      continue;
    }
    const fm: Record<string, unknown> = { column: name };
    if (spec.kind === 'timestamp') fm.format = v.timestamp;
    if (spec.kind === 'date') fm.format = v.date;
    if (spec.kind === 'amount') fm.unit = v.unit;
    fields[name] = fm;
  }
  const r = parseMapping({
    format: 'consortium-mapping/v1', defaults: { currency: 'CNY', timeZone: v.timeZone },
    files: [{ match: '*', entity, source: { type: 'csv' }, emptyValues: v.emptyValues, fields }],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return compileFileMapping(r.mapping, r.mapping.files[0]!);
}

/** A constant for the fields of the `constants` variant (a text constant ' x ' is trimmed on every row). */
function constantFor(spec: FieldSpec): string | boolean | undefined {
  switch (spec.kind) {
    case 'code': return CODE_LISTS[spec.codes!][0];
    case 'currency': return 'JPY';
    case 'boolean': return false;
    case 'text': return ' x ';
    default: return undefined;
  }
}

const RID = (() => { const b = '11010519900307123'; return b + residentIdCheckChar(b); })();
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Wall times around the standard's edges (1900, 3000, leap days, DST gaps and overlaps). */
const wall = fc.record({
  y: fc.oneof(fc.constantFrom(1899, 1900, 1901, 2024, 2999, 3000), fc.integer({ min: 1890, max: 3010 })),
  mo: fc.oneof(fc.constantFrom(1, 2, 3, 11, 12), fc.integer({ min: 0, max: 13 })),
  d: fc.oneof(fc.constantFrom(1, 28, 29, 31), fc.integer({ min: 0, max: 32 })),
  h: fc.oneof(fc.constantFrom(0, 1, 2, 23), fc.integer({ min: 0, max: 24 })),
  mi: fc.integer({ min: 0, max: 60 }),
  s: fc.integer({ min: 0, max: 60 }),
  ms: fc.integer({ min: 0, max: 999 }),
});
const offsets = fc.constantFrom('Z', '+08:00', '-05:00', '+14:00', '-12:00', '+0530', '');

/** Raw values a member file might hold for a field of `spec.kind`: mostly ordinary, some edge cases and garbage. */
function rawValue(spec: FieldSpec, v: Variant): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: ordinaryValue(spec, v), weight: 10 }, { arbitrary: edgeValue(spec, v), weight: 1 });
}

function ordinaryValue(spec: FieldSpec, v: Variant): fc.Arbitrary<string> {
  const format = spec.kind === 'timestamp' ? v.timestamp : v.date;
  switch (spec.kind) {
    case 'ref': case 'text': return fc.nat().map((n) => `R-${n}`);
    case 'subject': case 'phone': return fc.constantFrom(RID, '13800138000');
    case 'amount': return fc.nat({ max: 10 ** 9 }).map(String);
    case 'currency': return fc.constantFrom('CNY', 'JPY', 'USD');
    case 'integer': return fc.integer({ min: 1, max: 10_000 }).map(String);
    case 'boolean': return fc.constantFrom('true', 'false');
    case 'code': return fc.constantFrom(...CODE_LISTS[spec.codes!]);
    case 'timestamp': case 'date':
      return fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2050, 0, 1) }).map((ms) => {
        if (format === 'epoch_ms') return String(ms);
        if (format === 'epoch_s') return String(Math.floor(ms / 1000));
        const d = new Date(ms);
        const w = { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), ms: d.getUTCMilliseconds() };
        return format === 'iso8601' ? d.toISOString() : formatted(format, w);
      });
  }
}

function formatted(format: string, w: { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number }): string {
  return format.replace('YYYY', pad(w.y, 4)).replace('MM', pad(w.mo)).replace('DD', pad(w.d)).replace('HH', pad(w.h))
    .replace('mm', pad(w.mi)).replace('ss', pad(w.s)).replace('SSS', pad(w.ms, 3)).replace(/\bM\b/, String(w.mo)).replace(/\bD\b/, String(w.d));
}

function edgeValue(spec: FieldSpec, v: Variant): fc.Arbitrary<string> {
  const junk = fc.constantFrom('', ' ', 'NULL', '-', 'x', '\u0001', '0');
  const text = fc.oneof(
    fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom('a\u0001b', 'a\u001fb', 'tab\tin', 'a\u007f', 'a\u0080', '\u00a0x', 'q"uote\\', '\ud800', '😀', 'x'.repeat(128), 'x'.repeat(129), 'y'.repeat(200), 'y'.repeat(201)),
  );
  const time = (format: string): fc.Arbitrary<string> => {
    if (format === 'epoch_ms' || format === 'epoch_s') {
      const scale = format === 'epoch_ms' ? 1 : 1000;
      return fc.oneof(
        fc.integer({ min: Date.UTC(1899, 11, 31), max: Date.UTC(3000, 0, 2) }).map((ms) => String(Math.floor(ms / scale))),
        fc.constantFrom(String(Date.UTC(1900, 0, 1) / scale), String(Date.UTC(3000, 0, 1) / scale - 1), '1.5', '-1', '99999999999999'),
      );
    }
    if (format === 'iso8601') {
      return fc.tuple(wall, offsets, fc.boolean()).map(([w, off, t]) =>
        `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}${t ? `T${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}.${pad(w.ms, 3)}${off}` : ''}`);
    }
    return wall.map((w) => formatted(format, w));
  };
  /** Instants at the ends of 1900..2999 that a zone's offset can push out of the range. */
  const bounds = (format: string): fc.Arbitrary<string> => {
    if (format === 'iso8601') return fc.constantFrom('1900-01-01T00:00:00+14:00', '1900-01-01T03:00:00Z', '2999-12-31T23:59:59-12:00', '2999-12-31T20:00:00Z', '2999-12-31');
    if (format === 'epoch_ms' || format === 'epoch_s') {
      const scale = format === 'epoch_ms' ? 1 : 1000;
      return fc.constantFrom(Date.UTC(1900, 0, 1), Date.UTC(1900, 0, 1, 12), Date.UTC(2999, 11, 31, 12), Date.UTC(3000, 0, 1) - 1000).map((ms) => String(ms / scale));
    }
    return fc.constantFrom(formatted(format, { y: 1900, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0 }), formatted(format, { y: 2999, mo: 12, d: 31, h: 23, mi: 59, s: 59, ms: 999 }));
  };
  switch (spec.kind) {
    case 'ref': case 'text': return fc.oneof(text, junk);
    case 'subject': case 'phone':
      return fc.oneof(fc.constantFrom(RID, RID.toLowerCase(), `cn-rid:${RID}`, '13800138000', '+86 138-0013-8000', '１３８００１３８０００', 'tel:+8613800138000', '+1 202 555 0100', '12345'), junk);
    case 'amount':
      return fc.oneof(
        fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }).map(String),
        fc.tuple(fc.nat({ max: 10 ** 9 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${pad(b, 3)}`),
        fc.constantFrom('0', '-0', '10000000000000', '10000000000001', '100000000000.00', '100000000000.01', '99999999999.99',
          '9007199254740993', '1e5', '¥1,234.56', '1.', '.5', '+7', '0.001', '12.30'),
        junk,
      );
    case 'currency': return fc.oneof(fc.constantFrom('CNY', 'cny', 'JPY', 'BHD', 'USD', 'XXX', 'RMB', 'ABC'), junk);
    case 'integer': return fc.oneof(fc.nat({ max: 20_000 }).map(String), fc.constantFrom('0', '1', '10000', '10001', '999999999', '-1', '1.0'), junk);
    case 'boolean': return fc.oneof(fc.constantFrom('true', 'false', '1', '0', 'yes', '否', 'maybe'), junk);
    case 'code': return fc.oneof(fc.constantFrom(...CODE_LISTS[spec.codes!]), fc.constantFrom('nonsense', 'PAID'), junk);
    case 'timestamp': return fc.oneof(bounds(v.timestamp), time(v.timestamp), junk);
    case 'date': return fc.oneof(bounds(v.date), time(v.date), junk);
  }
}

describe('validation by construction', () => {
  for (const entity of ENTITY_ORDER) {
    it(`${entity}: a mapped record is checked exactly when its schema accepts it; JSON and instants are canonical`, () => {
      const dict = FIELD_DICTIONARY[entity] as Record<string, FieldSpec>;
      const seen = { checked: 0, unchecked: 0 };
      for (const v of VARIANTS) {
        const mapper = mapperFor(entity, v);
        const row = fc.record(Object.fromEntries(Object.entries(dict).map(([name, spec]) => [name, rawValue(spec, v)])));
        fc.assert(fc.property(row, (native) => {
          const r = mapper.map(native);
          if (!r.ok) return;
          const parsed = ENTITY_SCHEMAS[entity].safeParse(r.record);
          expect(r.checked).toBe(parsed.success);
          seen[r.checked ? 'checked' : 'unchecked']++;
          expect(JSON.stringify(r.record)).toBe(canonicalJson(r.record));
          for (const [name, spec] of Object.entries(dict)) {
            const value = r.record[name];
            if (spec.kind === 'timestamp') expect(mapper.instantOf?.(name)).toBe(typeof value === 'string' ? Date.parse(value) : undefined);
          }
        }), { numRuns: 400, seed: ENTITY_ORDER.indexOf(entity) + 1 });
      }
      // both outcomes occur, so neither side of the equivalence is vacuous
      expect(seen.checked).toBeGreaterThan(0);
      expect(seen.unchecked).toBeGreaterThan(0);
    });
  }
});
