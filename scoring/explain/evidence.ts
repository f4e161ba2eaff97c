/** The evidence list of a decision (issue 7 §5): which signals and which external results were used. */
import type { SignalEvidence } from '../features/consortium';
import type { ExternalResult, ExternalScores } from '../features/inputs';

/** One external result as evidence. */
export interface ExternalEvidence {
  source: keyof ExternalScores;
  provider: string;
  status: 'ok' | 'unavailable';
  /** Provider reference of the query (ok only). */
  reference?: string;
  queriedAt?: string;
  /** The value used (ok only): score number, null for N/A, or boolean. */
  value?: number | boolean | null;
  /** Why it was unavailable. */
  reason?: string;
}

/** All evidence of a decision. */
export interface Evidence {
  /** Live signals that contributed (issuer + log index + type). */
  signals: SignalEvidence[];
  /** Live signals whose payload could not be read (contributed nothing). */
  ignoredSignals: SignalEvidence[];
  external: ExternalEvidence[];
}

function ext<T extends number | boolean | null>(source: keyof ExternalScores, r: ExternalResult<T>): ExternalEvidence {
  return r.status === 'ok'
    ? { source, provider: r.provider, status: 'ok', reference: r.reference, queriedAt: r.queriedAt, value: r.value }
    : { source, provider: r.provider, status: 'unavailable', reason: r.reason };
}

/** Build the evidence list. */
export function buildEvidence(signals: SignalEvidence[], ignored: SignalEvidence[], external: ExternalScores): Evidence {
  return {
    signals: signals.map((s) => ({ ...s })),
    ignoredSignals: ignored.map((s) => ({ ...s })),
    external: [ext('sesameScore', external.sesameScore), ext('sesameAdmittance', external.sesameAdmittance), ext('wechatPayScore', external.wechatPayScore)],
  };
}
