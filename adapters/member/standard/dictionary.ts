/**
 * The field dictionary of the data standard v1 (docs/data-standard.md §4): for every field its value
 * kind (which drives parsing in mappings), whether it is required, whether it is personal data,
 * which entity it references, and whether it records a past event (must not lie in the future).
 */
import type { CodeListName } from './codes';
import type { EntityName, EntityRecord } from './entities';

/** How a field's value is written in the standard, and therefore how a mapping parses it. */
export type FieldKind =
  | 'ref' | 'subject' | 'phone' | 'text' | 'amount' | 'currency' | 'timestamp' | 'date' | 'code' | 'boolean' | 'integer';

/** Metadata of one standard field. */
export interface FieldSpec {
  kind: FieldKind;
  required: boolean;
  /** Personal data under PIPL: stored encrypted by the node, never logged or shared. */
  pii?: true;
  /** Code list for `kind: 'code'`. */
  codes?: CodeListName;
  /** The entity whose natural key this field holds (referential check, §5.3). */
  references?: EntityName;
  /** An event instant that must not be later than the import clock (plausibility, §5.4). */
  past?: true;
  /** One line for the field dictionary. */
  doc: string;
}

type Dictionary = { [E in EntityName]: { [F in keyof EntityRecord<E>]-?: FieldSpec } };

const req = true;
const opt = false;

/** The field dictionary of every entity (§4). */
export const FIELD_DICTIONARY: Dictionary = {
  customer: {
    customerRef: { kind: 'ref', required: req, doc: "member's customer number" },
    subjectId: { kind: 'subject', required: req, pii: true, doc: 'resident ID or mobile, normalized (cn-rid:/tel:)' },
    phone: { kind: 'phone', required: opt, pii: true, doc: 'mobile number, E.164 (tel:+86...)' },
    name: { kind: 'text', required: opt, pii: true, doc: 'full name as registered' },
    registeredAt: { kind: 'timestamp', required: req, past: true, doc: 'account registration instant' },
    channel: { kind: 'code', required: opt, codes: 'channel', doc: 'registration channel' },
    verificationMethod: { kind: 'code', required: req, codes: 'verificationMethod', doc: 'strongest identity verification done' },
    verifiedAt: { kind: 'timestamp', required: opt, past: true, doc: 'instant of that verification' },
  },
  order: {
    orderRef: { kind: 'ref', required: req, doc: "member's order number" },
    customerRef: { kind: 'ref', required: req, references: 'customer', doc: 'buyer' },
    placedAt: { kind: 'timestamp', required: req, past: true, doc: 'order placement instant' },
    amount: { kind: 'amount', required: req, doc: 'order total, minor units' },
    currency: { kind: 'currency', required: req, doc: 'ISO 4217 currency of amount' },
    status: { kind: 'code', required: req, codes: 'orderStatus', doc: 'current order status' },
    channel: { kind: 'code', required: opt, codes: 'channel', doc: 'sales channel' },
    paymentMethod: { kind: 'code', required: opt, codes: 'paymentMethod', doc: 'how the order was paid' },
    creditLineRef: { kind: 'ref', required: opt, references: 'creditLine', doc: 'credit line financing the order' },
  },
  creditLine: {
    creditLineRef: { kind: 'ref', required: req, doc: "member's credit account number" },
    customerRef: { kind: 'ref', required: req, references: 'customer', doc: 'borrower' },
    product: { kind: 'code', required: req, codes: 'creditProduct', doc: 'credit product' },
    openedAt: { kind: 'timestamp', required: req, past: true, doc: 'line opening instant' },
    limit: { kind: 'amount', required: req, doc: 'credit limit, minor units' },
    balance: { kind: 'amount', required: req, doc: 'outstanding balance at export time, minor units' },
    currency: { kind: 'currency', required: req, doc: 'ISO 4217 currency of limit and balance' },
    status: { kind: 'code', required: req, codes: 'creditLineStatus', doc: 'line status' },
    closedAt: { kind: 'timestamp', required: opt, past: true, doc: 'closing instant' },
  },
  installment: {
    creditLineRef: { kind: 'ref', required: req, references: 'creditLine', doc: 'credit line repaid' },
    installmentNo: { kind: 'integer', required: req, doc: 'number of the installment in the schedule, from 1' },
    orderRef: { kind: 'ref', required: opt, references: 'order', doc: 'order financed, if any' },
    dueDate: { kind: 'date', required: req, doc: 'due date (calendar date in the member time zone)' },
    amountDue: { kind: 'amount', required: req, doc: 'amount due, minor units' },
    amountPaid: { kind: 'amount', required: req, doc: 'amount repaid so far, minor units' },
    currency: { kind: 'currency', required: req, doc: 'ISO 4217 currency of the amounts' },
    status: { kind: 'code', required: req, codes: 'repaymentStatus', doc: 'repayment status' },
    paidAt: { kind: 'timestamp', required: opt, past: true, doc: 'instant the installment was fully repaid' },
  },
  refund: {
    refundRef: { kind: 'ref', required: req, doc: "member's refund number" },
    orderRef: { kind: 'ref', required: req, references: 'order', doc: 'refunded order' },
    customerRef: { kind: 'ref', required: req, references: 'customer', doc: 'customer refunded' },
    requestedAt: { kind: 'timestamp', required: req, past: true, doc: 'refund request instant' },
    amount: { kind: 'amount', required: req, doc: 'refund amount, minor units' },
    currency: { kind: 'currency', required: req, doc: 'ISO 4217 currency of amount' },
    reason: { kind: 'code', required: req, codes: 'refundReason', doc: 'stated reason' },
    withReturn: { kind: 'boolean', required: req, doc: 'false = refund without return of the goods' },
    status: { kind: 'code', required: req, codes: 'refundStatus', doc: 'refund status' },
    completedAt: { kind: 'timestamp', required: opt, past: true, doc: 'instant the money was returned' },
  },
  dispute: {
    disputeRef: { kind: 'ref', required: req, doc: "member's dispute number" },
    customerRef: { kind: 'ref', required: req, references: 'customer', doc: 'customer in dispute' },
    orderRef: { kind: 'ref', required: opt, references: 'order', doc: 'disputed order' },
    openedAt: { kind: 'timestamp', required: req, past: true, doc: 'dispute opening instant' },
    type: { kind: 'code', required: req, codes: 'disputeType', doc: 'kind of dispute' },
    amount: { kind: 'amount', required: opt, doc: 'disputed amount, minor units' },
    currency: { kind: 'currency', required: opt, doc: 'ISO 4217 currency of amount' },
    status: { kind: 'code', required: req, codes: 'disputeStatus', doc: 'dispute status' },
    resolvedAt: { kind: 'timestamp', required: opt, past: true, doc: 'resolution instant' },
  },
  fraudCase: {
    caseRef: { kind: 'ref', required: req, doc: "member's case number" },
    customerRef: { kind: 'ref', required: req, references: 'customer', doc: 'customer concerned' },
    reportedAt: { kind: 'timestamp', required: req, past: true, doc: 'report instant' },
    type: { kind: 'code', required: req, codes: 'fraudType', doc: 'kind of fraud' },
    status: { kind: 'code', required: req, codes: 'fraudStatus', doc: 'investigation status' },
    confirmedAt: { kind: 'timestamp', required: opt, past: true, doc: 'confirmation instant' },
    amount: { kind: 'amount', required: opt, doc: 'loss amount, minor units' },
    currency: { kind: 'currency', required: opt, doc: 'ISO 4217 currency of amount' },
  },
  violation: {
    violationRef: { kind: 'ref', required: req, doc: "member's violation number" },
    customerRef: { kind: 'ref', required: req, references: 'customer', doc: 'customer concerned' },
    occurredAt: { kind: 'timestamp', required: req, past: true, doc: 'instant of the violation' },
    type: { kind: 'code', required: req, codes: 'violationType', doc: 'kind of violation' },
    severity: { kind: 'code', required: req, codes: 'violationSeverity', doc: 'severity' },
    status: { kind: 'code', required: req, codes: 'violationStatus', doc: 'status' },
  },
};

/** The fields of entity `entity` that are personal data (§6). */
export function piiFields(entity: EntityName): string[] {
  return Object.entries(FIELD_DICTIONARY[entity]).filter(([, s]) => s.pii).map(([f]) => f);
}

/**
 * Splits a record into its personal data fields (to be encrypted at rest by the node, §6) and the
 * rest. `personal` is empty for entities without personal data.
 */
export function splitPersonalData(entity: EntityName, record: Record<string, unknown>): { personal: Record<string, unknown>; rest: Record<string, unknown> } {
  const pii = new Set(piiFields(entity));
  const personal: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) (pii.has(k) ? personal : rest)[k] = v;
  return { personal, rest };
}
