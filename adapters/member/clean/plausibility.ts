/**
 * Plausibility checks on mapped records (docs/data-standard.md §5.4): no negative amounts, no event
 * instants after the import clock, no self-contradicting fields.
 */
import { FIELD_DICTIONARY, type FieldSpec } from '../standard/dictionary';
import type { EntityName } from '../standard/entities';
import type { RejectReason } from './reasons';

/** A failed check: field, reason, message. */
export interface CheckFailure { field: string; reason: RejectReason; message: string }

/**
 * The UTC instant (ms) of a timestamp field as the mapper computed it, or undefined when unknown
 * (then the value is parsed with `Date.parse`); see `RowMapper.instantOf`.
 */
export type InstantOf = (field: string) => number | undefined;

type Rule = (r: Record<string, unknown>, instantOf: InstantOf | undefined) => CheckFailure | undefined;

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
/** Instant of field `f`: the mapper's when it knows it, else `Date.parse` of a string value. */
function inst(r: Record<string, unknown>, f: string, instantOf: InstantOf | undefined): number | undefined {
  const known = instantOf?.(f);
  if (known !== undefined) return known;
  const v = r[f];
  return typeof v === 'string' ? Date.parse(v) : undefined;
}

function notBefore(later: string, earlier: string): Rule {
  return (r, instantOf) => {
    const a = inst(r, later, instantOf);
    const b = inst(r, earlier, instantOf);
    return a !== undefined && b !== undefined && a < b
      ? { field: later, reason: 'implausible', message: `${later} is before ${earlier}` }
      : undefined;
  };
}

/** Cross-field rules per entity. */
const RULES: { [E in EntityName]?: Rule[] } = {
  customer: [notBefore('verifiedAt', 'registeredAt')],
  creditLine: [notBefore('closedAt', 'openedAt')],
  installment: [
    (r) => {
      const due = num(r.amountDue);
      const paid = num(r.amountPaid);
      return due !== undefined && paid !== undefined && paid > due
        ? { field: 'amountPaid', reason: 'implausible', message: 'amountPaid exceeds amountDue' }
        : undefined;
    },
  ],
  refund: [notBefore('completedAt', 'requestedAt')],
  dispute: [notBefore('resolvedAt', 'openedAt')],
  fraudCase: [notBefore('confirmedAt', 'reportedAt')],
};

/**
 * Compiled checks for one entity. `instantOf` may supply the instants of timestamp fields (they must
 * equal `Date.parse` of the values); without it every instant is parsed from the record.
 */
export type PlausibilityCheck = (record: Record<string, unknown>, instantOf?: InstantOf) => CheckFailure | undefined;

/**
 * Builds the plausibility check of `entity` against the import clock `nowMs` (UTC ms): amounts
 * must be >= 0, `past` instants (§4 dictionary) must be <= now, and the entity's cross-field rules hold.
 */
export function plausibilityCheck(entity: EntityName, nowMs: number): PlausibilityCheck {
  const specs = Object.entries(FIELD_DICTIONARY[entity] as Record<string, FieldSpec>);
  const amounts = specs.filter(([, s]) => s.kind === 'amount').map(([f]) => f);
  const past = specs.filter(([, s]) => s.past).map(([f]) => f);
  const rules = RULES[entity] ?? [];
  return (r, instantOf) => {
    for (const f of amounts) {
      const v = num(r[f]);
      if (v !== undefined && v < 0) return { field: f, reason: 'negative_amount', message: `${f} is negative` };
    }
    for (const f of past) {
      const t = inst(r, f, instantOf);
      if (t !== undefined && t > nowMs) return { field: f, reason: 'future_date', message: `${f} is later than the import time` };
    }
    for (const rule of rules) {
      const failure = rule(r, instantOf);
      if (failure) return failure;
    }
    return undefined;
  };
}
