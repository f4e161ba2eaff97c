import { canonicalJsonBytes, concatBytes, ed25519Sign, toBase64Url } from '../../protocol';
import type { ConsentRecord } from '../consent/record';

/** Domain separation of consent-receipt signatures. */
export const RECEIPT_DOMAIN_V1 = 'consortium-consent-receipt/v1\n';
/** Schema identifier of the receipts (shaped after ISO/IEC TS 27560:2023, with PIPL additions). */
export const RECEIPT_SCHEMA = 'consortium-node/consent-receipt/v1 (after ISO/IEC TS 27560:2023)';

/** Consent states of TS 27560's event list, as used here. */
export type ReceiptState = 'given' | 'withdrawn' | 'expired';

/** A stored consent as the receipt builder reads it. */
export interface ConsentSource {
  id: string;
  ref: string;
  record: ConsentRecord;
  signature: string;
  signatureKid: string;
  withdrawnAt: Date | null;
  withdrawalSignalId: string | null;
}

/**
 * A consent receipt (issue 9 §2) shaped after ISO/IEC TS 27560: record identity and schema version, subject
 * (pseudonym only), controller, purposes, recipients, data categories, notice, collection method, and the
 * events with times and states; plus the PIPL additions (art. 23 separate consent per recipient and purpose,
 * art. 24 automated decision-making flag) and the original signed consent record's reference and signature.
 */
export interface ConsentReceipt {
  schema: string;
  schemaVersion: '1';
  recordId: string;
  issuedAt: string;
  subject: { pseudonym: string; pseudonymKid: string; identifierType: 'pseudonym' };
  controller: { memberId: string; consortium: string };
  purposes: { purpose: string; legalBasis: 'consent'; automatedDecision: boolean }[];
  recipients: string[];
  dataCategories: string[];
  notice: { version: string; hash: string };
  collectionMethod: string;
  validity: { from: string; to: string };
  state: ReceiptState;
  events: { state: ReceiptState; at: string; detail?: string }[];
  pipl: {
    /** Art. 23: the consent is specific to this purpose and these recipients, and was given separately. */
    separateConsent: true;
    /** Art. 24: the subject was told that automated decision-making is used. */
    automatedDecision: boolean;
    /** Art. 15: withdrawal stops further processing; earlier processing stands. */
    withdrawable: true;
  };
  /** The consent record as signed when collected: its reference (`sha256:` of its JCS) and signature. */
  original: { ref: string; signature: { alg: 'Ed25519'; kid: string; value: string }; record: ConsentRecord };
}

/** A receipt and the node's signature over it. */
export interface SignedReceipt {
  receipt: ConsentReceipt;
  signature: { alg: 'Ed25519'; kid: string; value: string; domain: string };
}

/** The state of a consent at `at`, and its events in time order. */
export function consentTimeline(c: ConsentSource, at: Date): { state: ReceiptState; events: ConsentReceipt['events'] } {
  const events: ConsentReceipt['events'] = [{ state: 'given', at: c.record.grantedAt }];
  if (c.withdrawnAt) {
    events.push({ state: 'withdrawn', at: c.withdrawnAt.toISOString(), ...(c.withdrawalSignalId ? { detail: `tombstone signal ${c.withdrawalSignalId}` } : {}) });
    return { state: 'withdrawn', events };
  }
  if (Date.parse(c.record.expiresAt) <= at.getTime()) {
    events.push({ state: 'expired', at: c.record.expiresAt });
    return { state: 'expired', events };
  }
  return { state: 'given', events };
}

/** Builds the receipt of a consent as of `at`. */
export function buildReceipt(c: ConsentSource, at: Date): ConsentReceipt {
  const r = c.record;
  const { state, events } = consentTimeline(c, at);
  return {
    schema: RECEIPT_SCHEMA,
    schemaVersion: '1',
    recordId: c.id,
    issuedAt: at.toISOString(),
    subject: { pseudonym: r.subject.value, pseudonymKid: r.subject.kid, identifierType: 'pseudonym' },
    controller: { memberId: r.controller, consortium: r.consortium },
    purposes: [{ purpose: r.purpose, legalBasis: 'consent', automatedDecision: r.automatedDecision }],
    recipients: [...r.recipients],
    dataCategories: [...r.dataCategories],
    notice: { ...r.notice },
    collectionMethod: r.collectionMethod,
    validity: { from: r.grantedAt, to: r.expiresAt },
    state,
    events,
    pipl: { separateConsent: true, automatedDecision: r.automatedDecision, withdrawable: true },
    original: { ref: c.ref, signature: { alg: 'Ed25519', kid: c.signatureKid, value: c.signature }, record: r },
  };
}

/** Signing input of a receipt: domain || RFC 8785 JCS(receipt). */
export function receiptSigningInput(receipt: ConsentReceipt): Uint8Array {
  return concatBytes(new TextEncoder().encode(RECEIPT_DOMAIN_V1), canonicalJsonBytes(receipt));
}

/** Signs a receipt with the node's signal key (the key that signed the consent record). */
export function signReceipt(receipt: ConsentReceipt, key: { kid: string; secretKey: Uint8Array }): SignedReceipt {
  return { receipt, signature: { alg: 'Ed25519', kid: key.kid, value: toBase64Url(ed25519Sign(receiptSigningInput(receipt), key.secretKey)), domain: RECEIPT_DOMAIN_V1.trim() } };
}
