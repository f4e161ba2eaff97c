/**
 * Entities of the consortium data standard v1 as zod schemas and TypeScript types
 * (docs/data-standard.md §4). Field metadata (personal data flags, references, plausibility rules)
 * lives in `./dictionary`; natural keys in `./keys`.
 */
import { z } from 'zod';
import * as C from './codes';
import { AmountMinor, CalendarDate, Currency, Ref, SubjectId, Text, Timestamp } from './primitives';

/** §4.1 A member's customer: identifiers, name, registration and verification facts. */
export const CustomerSchema = z.strictObject({
  customerRef: Ref,
  subjectId: SubjectId,
  phone: SubjectId.optional(),
  name: Text.optional(),
  registeredAt: Timestamp,
  channel: z.enum(C.CHANNELS).optional(),
  verificationMethod: z.enum(C.VERIFICATION_METHODS),
  verifiedAt: Timestamp.optional(),
});
/** §4.1 Customer record. */
export type Customer = z.infer<typeof CustomerSchema>;

/** §4.2 An order placed by a customer. */
export const OrderSchema = z.strictObject({
  orderRef: Ref,
  customerRef: Ref,
  placedAt: Timestamp,
  amount: AmountMinor,
  currency: Currency,
  status: z.enum(C.ORDER_STATUSES),
  channel: z.enum(C.CHANNELS).optional(),
  paymentMethod: z.enum(C.PAYMENT_METHODS).optional(),
  creditLineRef: Ref.optional(),
});
/** §4.2 Order record. */
export type Order = z.infer<typeof OrderSchema>;

/** §4.3 A credit line (BNPL account, installment loan, revolving line) granted to a customer. */
export const CreditLineSchema = z.strictObject({
  creditLineRef: Ref,
  customerRef: Ref,
  product: z.enum(C.CREDIT_PRODUCTS),
  openedAt: Timestamp,
  limit: AmountMinor,
  balance: AmountMinor,
  currency: Currency,
  status: z.enum(C.CREDIT_LINE_STATUSES),
  closedAt: Timestamp.optional(),
});
/** §4.3 Credit line record. */
export type CreditLine = z.infer<typeof CreditLineSchema>;

/** §4.4 One installment of a credit line's repayment schedule, with what was repaid. */
export const InstallmentSchema = z.strictObject({
  creditLineRef: Ref,
  installmentNo: z.number().int().min(1).max(10_000),
  orderRef: Ref.optional(),
  dueDate: CalendarDate,
  amountDue: AmountMinor,
  amountPaid: AmountMinor,
  currency: Currency,
  status: z.enum(C.REPAYMENT_STATUSES),
  paidAt: Timestamp.optional(),
});
/** §4.4 Installment record. */
export type Installment = z.infer<typeof InstallmentSchema>;

/** §4.5 A refund; `withReturn: false` is a refund without return of the goods. */
export const RefundSchema = z.strictObject({
  refundRef: Ref,
  orderRef: Ref,
  customerRef: Ref,
  requestedAt: Timestamp,
  amount: AmountMinor,
  currency: Currency,
  reason: z.enum(C.REFUND_REASONS),
  withReturn: z.boolean(),
  status: z.enum(C.REFUND_STATUSES),
  completedAt: Timestamp.optional(),
});
/** §4.5 Refund record. */
export type Refund = z.infer<typeof RefundSchema>;

/** §4.6 A dispute (chargeback, complaint, platform arbitration). */
export const DisputeSchema = z.strictObject({
  disputeRef: Ref,
  customerRef: Ref,
  orderRef: Ref.optional(),
  openedAt: Timestamp,
  type: z.enum(C.DISPUTE_TYPES),
  amount: AmountMinor.optional(),
  currency: Currency.optional(),
  status: z.enum(C.DISPUTE_STATUSES),
  resolvedAt: Timestamp.optional(),
});
/** §4.6 Dispute record. */
export type Dispute = z.infer<typeof DisputeSchema>;

/** §4.7 A fraud case; only `status: confirmed` leads to a shared signal. */
export const FraudCaseSchema = z.strictObject({
  caseRef: Ref,
  customerRef: Ref,
  reportedAt: Timestamp,
  type: z.enum(C.FRAUD_TYPES),
  status: z.enum(C.FRAUD_STATUSES),
  confirmedAt: Timestamp.optional(),
  amount: AmountMinor.optional(),
  currency: Currency.optional(),
});
/** §4.7 Fraud case record. */
export type FraudCase = z.infer<typeof FraudCaseSchema>;

/** §4.8 A violation of the member platform's rules. */
export const ViolationSchema = z.strictObject({
  violationRef: Ref,
  customerRef: Ref,
  occurredAt: Timestamp,
  type: z.enum(C.VIOLATION_TYPES),
  severity: z.enum(C.VIOLATION_SEVERITIES),
  status: z.enum(C.VIOLATION_STATUSES),
});
/** §4.8 Violation record. */
export type Violation = z.infer<typeof ViolationSchema>;

/** Schema of every entity by name (§4). */
export const ENTITY_SCHEMAS = {
  customer: CustomerSchema,
  order: OrderSchema,
  creditLine: CreditLineSchema,
  installment: InstallmentSchema,
  refund: RefundSchema,
  dispute: DisputeSchema,
  fraudCase: FraudCaseSchema,
  violation: ViolationSchema,
} as const;

/** Name of a standard entity. */
export type EntityName = keyof typeof ENTITY_SCHEMAS;
/** Entity names in import dependency order (referenced entities first), §5. */
export const ENTITY_ORDER: readonly EntityName[] = [
  'customer', 'creditLine', 'order', 'installment', 'refund', 'dispute', 'fraudCase', 'violation',
];
/** The record type of entity `E`. */
export type EntityRecord<E extends EntityName> = z.infer<(typeof ENTITY_SCHEMAS)[E]>;
/** Any standard record tagged with its entity. */
export type AnyStandardRecord = { [E in EntityName]: { entity: E; record: EntityRecord<E> } }[EntityName];
