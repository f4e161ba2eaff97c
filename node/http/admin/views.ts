import type { HeldSignal } from '../../network/types';

/** A held signal as the admin API shows it: who said what, where in whose log, and whether it verified. */
export function heldSignalView(s: HeldSignal) {
  return {
    id: s.id,
    issuer: s.issuer,
    own: s.own,
    logIndex: s.logIndex,
    type: s.type,
    issuedAt: s.issuedAt,
    expiresAt: s.expiresAt,
    data: s.signed.body.data,
    consent: s.signed.body.consent,
    verification: s.verification,
    kid: s.signed.kid,
  };
}
