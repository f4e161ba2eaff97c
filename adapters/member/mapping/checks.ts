/**
 * Validation by construction (docs/data-standard.md §5): what the entity schema still has to check
 * about a value a converter produced. Converters already guarantee types, formats, code lists,
 * currencies, normalized identifiers, integers and the upper text lengths; what remains are the
 * schema's numeric ranges and lower text lengths (read from the zod schema itself, so the numbers
 * live in one place) and the year range of times formatted in a zone (an instant near 1900 or 3000
 * may land outside it). A record all of whose values pass these checks satisfies its entity schema
 * (property-tested in test/unit/adapters/member/mapping/checks.test.ts), so the pipeline skips
 * `safeParse` for it; any record that fails one is handed to the schema, which decides and words
 * the reject exactly as before.
 */
import type { z } from 'zod';
import type { FieldSpec } from '../standard/dictionary';

/** A residual check of one converted value: true when the schema certainly accepts it. */
export type ValueCheck = (value: unknown) => boolean;

interface Bounded {
  def: { type: string };
  unwrap?: () => Bounded;
  minValue?: number | null;
  maxValue?: number | null;
  minLength?: number | null;
  maxLength?: number | null;
}

/** The field's schema without `.optional()`. */
function unwrapOptional(schema: z.ZodType): Bounded {
  let s = schema as unknown as Bounded;
  while (s.def.type === 'optional' && s.unwrap) s = s.unwrap();
  return s;
}

/** `YYYY` of a formatted time is within 1900..2999 (the standard's date range, §2.2-2.3). */
function yearInRange(s: string): boolean {
  const c0 = s.charCodeAt(0);
  return c0 === 50 /* 2 */ || (c0 === 49 /* 1 */ && s.charCodeAt(1) === 57 /* 9 */);
}

/** Offset hours of `...±HH:MM` are at most 14 (§2.2). */
function offsetInRange(s: string): boolean {
  const n = s.length;
  return (s.charCodeAt(n - 5) - 48) * 10 + (s.charCodeAt(n - 4) - 48) <= 14;
}

/**
 * The residual check of a field of kind `spec.kind` whose schema is `schema`, or undefined when its
 * converter alone guarantees the schema accepts every value it returns.
 */
export function residualCheck(spec: FieldSpec, schema: z.ZodType): ValueCheck | undefined {
  const s = unwrapOptional(schema);
  switch (spec.kind) {
    case 'ref':
    case 'text': {
      const min = s.minLength ?? 0;
      const max = s.maxLength ?? Infinity;
      return (v) => typeof v === 'string' && v.length >= min && v.length <= max;
    }
    case 'amount':
    case 'integer': {
      const min = s.minValue ?? -Infinity;
      const max = s.maxValue ?? Infinity;
      return (v) => typeof v === 'number' && v >= min && v <= max;
    }
    case 'timestamp':
      return (v) => typeof v === 'string' && yearInRange(v) && offsetInRange(v);
    case 'date':
      return (v) => typeof v === 'string' && yearInRange(v);
    default:
      return undefined;
  }
}
