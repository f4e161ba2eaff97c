/** Expected ledger failures: returned values with a stable code (each in node/http/problem.ts). */
export type LedgerFailureCode =
  | 'no-decision'
  | 'line-frozen'
  | 'currency-mismatch'
  | 'insufficient-available'
  | 'authorization-not-found'
  | 'authorization-expired'
  | 'authorization-not-held'
  | 'capture-exceeds-hold'
  | 'line-not-found'
  | 'repayment-exceeds-outstanding'
  | 'repayment-reference-conflict';

/** A refused ledger operation; `extra` carries problem extension members (e.g. `availableMinor`). */
export interface LedgerFailure {
  ok: false;
  code: LedgerFailureCode;
  message: string;
  extra?: Record<string, unknown>;
}

/** Builds a {@link LedgerFailure}. */
export const ledgerFailure = (code: LedgerFailureCode, message: string, extra?: Record<string, unknown>): LedgerFailure => ({ ok: false, code, message, ...(extra ? { extra } : {}) });
