/**
 * Map Alipay gateway public error codes (`code` other than 10000, with
 * `sub_code`/`sub_msg`) to the adapter's stable failure codes.
 */
import type { ExternalScoreErrorCode, UnavailableCause } from '../provider';

/** The mapping result for one gateway code. */
export interface MappedAlipayError {
  readonly code: ExternalScoreErrorCode;
  readonly retryable: boolean;
  readonly cause?: UnavailableCause;
}

/**
 * Gateway codes: 20000 service unavailable, 20001 insufficient authorization
 * (bad or expired `auth_token`), 40001 missing parameter, 40002 invalid
 * parameter (incl. `isv.invalid-signature`, `isv.invalid-app-id`), 40004
 * business failure, 40006 insufficient permissions.
 */
export function mapAlipayError(code: string, subCode: string | undefined): MappedAlipayError {
  const sub = subCode ?? '';
  switch (code) {
    case '20000':
      return { code: 'unavailable', retryable: true, cause: 'provider_busy' };
    case '20001':
    case '40006':
      return { code: 'provider_auth_error', retryable: false };
    case '40002':
      if (/invalid-signature|invalid-app-id|invalid-sign/i.test(sub)) return { code: 'provider_auth_error', retryable: false };
      return { code: 'request_rejected', retryable: false };
    case '40001':
      return { code: 'request_rejected', retryable: false };
    default:
      return { code: 'provider_business_error', retryable: false };
  }
}
