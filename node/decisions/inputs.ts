/**
 * Gathers a subject's {@link ScoringInputs} (issue 7 §1): own history and capacity from the import module,
 * consortium signals from the network (already without withdrawn, retracted and expired entries) and external scores.
 */
import type { ConsortiumSignalView, ScoringInputs } from '../../scoring';
import type { HeldSignal, Network } from '../network/types';
import type { ExternalScoresProvider, OwnHistoryProvider, ProviderIdentifiers } from './providers';

/** Signal types that describe the log itself rather than the subject; never scoring input. */
const CONTROL_TYPES = new Set(['consent.withdrawn', 'signal.retracted']);

/** A held signal as scoring sees it. */
export function signalView(h: HeldSignal): ConsortiumSignalView {
  return { issuer: h.issuer, type: h.type, data: h.signed.body.data, issuedAt: h.issuedAt, expiresAt: h.expiresAt, logIndex: h.logIndex };
}

/** Everything the gathering needs. */
export interface InputSources {
  memberId: string;
  network: Pick<Network, 'signals'>;
  ownHistory: OwnHistoryProvider;
  external: ExternalScoresProvider;
}

/** The inputs of one decision at `asOf`, plus the key id of the subject's pseudonym when a signal carried it. */
export async function gatherInputs(src: InputSources, pseudonym: string, asOf: Date, identifiers?: ProviderIdentifiers): Promise<{ inputs: ScoringInputs; kid: string | null }> {
  const [held, own, capacity, external] = await Promise.all([
    src.network.signals.bySubject(pseudonym, asOf),
    src.ownHistory.summary(pseudonym, asOf),
    src.ownHistory.capacity ? src.ownHistory.capacity(pseudonym) : Promise.resolve(null),
    src.external.scores(pseudonym, asOf, identifiers),
  ]);
  const signals = held.filter((h) => !CONTROL_TYPES.has(h.type)).map(signalView);
  return {
    inputs: { subject: pseudonym, self: src.memberId, own, signals, external, capacityMinor: capacity },
    kid: held[0]?.subject.kid ?? null,
  };
}
