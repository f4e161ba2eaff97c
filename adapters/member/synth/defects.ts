/**
 * Deliberate messiness in synthetic exports (docs/data-standard.md §8.3): duplicates, bad ID check
 * characters, missing required fields, future dates, negative amounts. Every injected defect is
 * recorded with the reject reason and field the import must report, so tests can assert that the
 * rejects equal the injected defects. Defects only touch rows nothing else refers to (or extra
 * rows), so no other row is rejected as a consequence.
 */
import type { RejectReason } from '../clean/reasons';
import { breakCheckChar, residentId } from './ids';
import { deletePath, encodeAmount, encodeTimestamp, setPath } from './encode';
import type { FormatSpec } from './formats';
import type { SynthEntity } from './model';
import type { Prng } from './prng';

/** Kinds of injected defects. */
export type DefectKind = 'duplicate' | 'bad_check_digit' | 'missing_required' | 'future_date' | 'negative_amount';

/** A row to be written, possibly carrying a defect. */
export interface PlannedRow {
  native: Record<string, unknown>;
  defect?: { kind: DefectKind; field?: string; reason: RejectReason };
}

/** A defect in the manifest: where it is and what the import must report. */
export interface InjectedDefect {
  member: string;
  file: string;
  line: number;
  kind: DefectKind;
  field?: string;
  reason: RejectReason;
}

const YEAR = 365 * 86_400_000;

function set(f: FormatSpec, entity: SynthEntity, native: Record<string, unknown>, field: string, value: unknown): void {
  const where = f.fields[entity][field]!;
  if (f.source.type === 'csv') native[where] = value;
  else if (value === undefined) deletePath(native, where);
  else setPath(native, where, value);
}

/** Which field each defect kind breaks, per entity (kinds not listed are not injected there). */
const TARGETS: Partial<Record<SynthEntity, Partial<Record<Exclude<DefectKind, 'duplicate'>, string>>>> = {
  customer: { bad_check_digit: 'subjectId', missing_required: 'registeredAt', future_date: 'registeredAt' },
  order: { negative_amount: 'amount', missing_required: 'placedAt', future_date: 'placedAt' },
  installment: { negative_amount: 'amountDue', missing_required: 'dueDate' },
  refund: { negative_amount: 'amount', future_date: 'requestedAt' },
};

const REASON: Record<DefectKind, RejectReason> = {
  duplicate: 'duplicate_key', bad_check_digit: 'invalid_identifier', missing_required: 'missing_required',
  future_date: 'future_date', negative_amount: 'negative_amount',
};

/**
 * Injects about `rate` of `rows.length` defects (at least one of each applicable kind when the file
 * has 10+ rows). `leaf[i]` says row i may be altered (nothing refers to it). Customer defects go
 * into extra rows built by `extraCustomer`. Returns the rows in write order.
 */
export function injectDefects(
  rng: Prng, f: FormatSpec, entity: SynthEntity, rows: PlannedRow[], leaf: boolean[], asOfMs: number, rate: number,
  extraCustomer: (ref: string) => Record<string, unknown>,
): PlannedRow[] {
  const out = rows.slice();
  if (rows.length < 10) return out;
  const targets = TARGETS[entity] ?? {};
  const per = Math.max(1, Math.round((rows.length * rate) / (Object.keys(targets).length + 1)));
  const free = rows.map((_, i) => i).filter((i) => leaf[i]);
  const takeFree = () => (free.length ? free.splice(rng.int(free.length), 1)[0] : undefined);
  let extra = 0;
  for (const [kind, field] of Object.entries(targets) as [Exclude<DefectKind, 'duplicate'>, string][]) {
    for (let k = 0; k < per; k++) {
      let row: PlannedRow;
      if (entity === 'customer') {
        row = { native: extraCustomer(`X${++extra}`) };
        out.splice(rng.int(out.length + 1), 0, row);
      } else {
        const i = takeFree();
        if (i === undefined) break;
        row = rows[i]!;
      }
      const v = row.native;
      if (kind === 'bad_check_digit') set(f, entity, v, field, breakCheckChar(residentId(rng)));
      else if (kind === 'missing_required') set(f, entity, v, field, f.source.type === 'csv' ? '' : undefined);
      else if (kind === 'future_date') set(f, entity, v, field, encodeTimestamp(f, asOfMs + 3 * YEAR + rng.int(YEAR)));
      else set(f, entity, v, field, encodeAmount(f, -rng.range(100, 99_999)));
      row.defect = { kind, field, reason: REASON[kind] };
    }
  }
  for (let k = 0; k < per; k++) {
    const clean = out.map((r, i) => (r.defect ? -1 : i)).filter((i) => i >= 0);
    const src = clean[rng.int(clean.length)]!;
    const copy: PlannedRow = { native: structuredClone(out[src]!.native), defect: { kind: 'duplicate', reason: 'duplicate_key' } };
    out.splice(src + 1 + rng.int(out.length - src), 0, copy);
  }
  return out;
}
