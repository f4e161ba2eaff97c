import { canonicalJsonBytes, concatBytes, consentRef, ed25519Sign, toBase64Url, type Pseudonym } from '../../protocol';

/** Domain separation of consent-record signatures. */
export const CONSENT_DOMAIN_V1 = 'consortium-consent/v1\n';

/** The consent record as signed and hashed; its reference (`sha256:` of its JCS) is what signals carry. */
export interface ConsentRecord {
  v: 1;
  id: string;
  controller: string;
  consortium: string;
  subject: Pseudonym;
  purpose: string;
  recipients: string[];
  dataCategories: string[];
  notice: { version: string; hash: string };
  collectionMethod: string;
  automatedDecision: boolean;
  grantedAt: string;
  expiresAt: string;
}

/** Signs a consent record with the node's signal key: Ed25519 over domain || JCS(record). */
export function signConsentRecord(record: ConsentRecord, key: { kid: string; secretKey: Uint8Array }): { ref: string; signature: string; kid: string } {
  const input = concatBytes(new TextEncoder().encode(CONSENT_DOMAIN_V1), canonicalJsonBytes(record));
  return { ref: consentRef(record), signature: toBase64Url(ed25519Sign(input, key.secretKey)), kid: key.kid };
}
