/**
 * Plausibility checks on mapped records (docs/data-standard.md §5.4): no negative amounts, no event
 * instants after the import clock, no self-contradicting fields.
 */
import { FIELD_DICTIONARY, type FieldSpec } from '../standard/dictionary';
import type { EntityName } from '../standard/entities';
import type { RejectReason } from './reasons';

/** A failed check: field, reason, message. */
export interface CheckFailure { field: string; reason: RejectReason; message: string }

type Rule = (r: Record<string, unknown>) => CheckFailure | undefined;

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const inst = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : undefined);

function notBefore(later: string, earlier: string): Rule {
  return (r) => {
    const a = inst(r[later]);
    const b = inst(r[earlier]);
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

/** Compiled checks for one entity. */
export type PlausibilityCheck = (record: Record<string, unknown>) => CheckFailure | undefined;

/**
 * Builds the plausibility check of `entity` against the import clock `nowMs` (UTC ms): amounts
 * must be >= 0, `past` instants (§4 dictionary) must be <= now, and the entity's cross-field rules hold.
 */
export function plausibilityCheck(entity: EntityName, nowMs: number): PlausibilityCheck {
  const specs = Object.entries(FIELD_DICTIONARY[entity] as Record<string, FieldSpec>);
  const amounts = specs.filter(([, s]) => s.kind === 'amount').map(([f]) => f);
  const past = specs.filter(([, s]) => s.past).map(([f]) => f);
  const rules = RULES[entity] ?? [];
  return (r) => {
    for (const f of amounts) {
      const v = num(r[f]);
      if (v !== undefined && v < 0) return { field: f, reason: 'negative_amount', message: `${f} is negative` };
    }
    for (const f of past) {
      const t = inst(r[f]);
      if (t !== undefined && t > nowMs) return { field: f, reason: 'future_date', message: `${f} is later than the import time` };
    }
    for (const rule of rules) {
      const failure = rule(r);
      if (failure) return failure;
    }
    return undefined;
  };
}
