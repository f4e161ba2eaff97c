/**
 * Code lists of the consortium data standard v1 (docs/data-standard.md §3).
 * Every coded field takes exactly one of these lower-case values; members map their own status
 * words onto them with value maps in their mapping file (docs/mappings.md §4).
 */

/** Where a customer registered or an order was placed (docs/data-standard.md §3.1). */
export const CHANNELS = ['app', 'web', 'mini_program', 'offline', 'partner', 'call_center'] as const;
/** How the member verified the customer's identity (§3.2). */
export const VERIFICATION_METHODS = ['none', 'id_document', 'face_match', 'bank_card', 'carrier_3factor'] as const;
/** Lifecycle of an order (§3.3). */
export const ORDER_STATUSES = [
  'created', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'returned', 'partially_returned',
] as const;
/** How an order was paid (§3.4); `bnpl` = buy now pay later on a member credit line. */
export const PAYMENT_METHODS = ['bnpl', 'card', 'wallet', 'bank_transfer', 'cash_on_delivery', 'other'] as const;
/** Kind of credit product (§3.5). */
export const CREDIT_PRODUCTS = ['bnpl', 'installment_loan', 'revolving'] as const;
/** Status of a credit line (§3.6). */
export const CREDIT_LINE_STATUSES = ['active', 'frozen', 'closed', 'charged_off'] as const;
/** Status of one installment of a repayment schedule (§3.7). */
export const REPAYMENT_STATUSES = [
  'scheduled', 'paid', 'paid_late', 'partially_paid', 'overdue', 'written_off', 'waived',
] as const;
/** Why a refund was requested (§3.8). */
export const REFUND_REASONS = ['not_received', 'damaged', 'not_as_described', 'changed_mind', 'other'] as const;
/** Status of a refund (§3.9). */
export const REFUND_STATUSES = ['requested', 'approved', 'rejected', 'completed'] as const;
/** Kind of dispute (§3.10). */
export const DISPUTE_TYPES = ['chargeback', 'complaint', 'platform_arbitration'] as const;
/** Status of a dispute (§3.11). */
export const DISPUTE_STATUSES = ['open', 'resolved_for_customer', 'resolved_for_merchant', 'withdrawn'] as const;
/** Kind of fraud (§3.12). */
export const FRAUD_TYPES = [
  'identity_theft', 'account_takeover', 'first_party', 'synthetic_identity', 'payment_fraud', 'collusion',
] as const;
/** Status of a fraud case (§3.13); only `confirmed` cases are ever shared. */
export const FRAUD_STATUSES = ['suspected', 'under_investigation', 'confirmed', 'dismissed'] as const;
/** Kind of platform rule violation (§3.14). */
export const VIOLATION_TYPES = ['fake_review', 'abusive_behavior', 'policy_abuse', 'reselling', 'multi_account'] as const;
/** Severity of a violation (§3.15). */
export const VIOLATION_SEVERITIES = ['low', 'medium', 'high'] as const;
/** Status of a violation (§3.16). */
export const VIOLATION_STATUSES = ['recorded', 'appealed', 'upheld', 'overturned'] as const;

/** All code lists by name, for documentation and mapping validation. */
export const CODE_LISTS = {
  channel: CHANNELS,
  verificationMethod: VERIFICATION_METHODS,
  orderStatus: ORDER_STATUSES,
  paymentMethod: PAYMENT_METHODS,
  creditProduct: CREDIT_PRODUCTS,
  creditLineStatus: CREDIT_LINE_STATUSES,
  repaymentStatus: REPAYMENT_STATUSES,
  refundReason: REFUND_REASONS,
  refundStatus: REFUND_STATUSES,
  disputeType: DISPUTE_TYPES,
  disputeStatus: DISPUTE_STATUSES,
  fraudType: FRAUD_TYPES,
  fraudStatus: FRAUD_STATUSES,
  violationType: VIOLATION_TYPES,
  violationSeverity: VIOLATION_SEVERITIES,
  violationStatus: VIOLATION_STATUSES,
} as const;

/** Name of a code list in {@link CODE_LISTS}. */
export type CodeListName = keyof typeof CODE_LISTS;
