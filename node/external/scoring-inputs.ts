import type { ExternalResult, ExternalScores } from '../../scoring';
import type { ExternalScoreInput } from '../../adapters/external';
import type { ExternalScoresProvider } from '../decisions/providers';
import type { ExternalScoresModule } from './module';

type Slot = keyof ExternalScores;

/** Which scoring input each configured provider feeds (bureau scores have no slot in catalogue v1). */
export function providerSlots(rawConfig: unknown): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  const providers = (rawConfig as { providers?: { type?: string; name?: string; product?: string }[] } | undefined)?.providers ?? [];
  for (const p of providers) {
    if (!p.name) continue;
    if (p.type === 'zhima') slots.set(p.name, p.product === 'brief' ? 'sesameAdmittance' : 'sesameScore');
    if (p.type === 'wechatpay-score') slots.set(p.name, 'wechatPayScore');
  }
  return slots;
}

const unavailable = (provider: string, reason: string) => ({ status: 'unavailable', provider, reason }) as const;

function toResult(slot: Slot, input: ExternalScoreInput): ExternalResult<number | null> | ExternalResult<boolean> {
  const s = input.score;
  if (slot === 'sesameScore') {
    if (s) return { status: 'ok', value: s.score, provider: input.provider, queriedAt: s.asOf, reference: s.reference ?? '' };
    // "N/A" is an answer (no score), not an outage.
    if (input.code === 'not_assessable') return { status: 'ok', value: null, provider: input.provider, queriedAt: new Date(0).toISOString(), reference: '' };
    return unavailable(input.provider, input.reason ?? 'external_score_unavailable');
  }
  if (s && s.eligible !== null) return { status: 'ok', value: s.eligible, provider: input.provider, queriedAt: s.asOf, reference: s.reference ?? '' };
  return unavailable(input.provider, input.reason ?? 'external_score_unavailable');
}

/**
 * Feeds decisions with the configured providers' answers (each under its own consent; a provider that is
 * down or not consented to becomes `unavailable`, which the policy turns into a reason code).
 */
export function externalScoresForDecisions(module: Pick<ExternalScoresModule, 'decisionInputs'>, rawConfig: unknown): ExternalScoresProvider {
  const slots = providerSlots(rawConfig);
  return {
    async scores(pseudonym, _asOf, identifiers) {
      const out: ExternalScores = {
        sesameScore: unavailable('zhima', 'not-configured'),
        sesameAdmittance: unavailable('zhima', 'not-configured'),
        wechatPayScore: unavailable('wechatpay', 'not-configured'),
      };
      if (slots.size === 0) return out;
      const { inputs } = await module.decisionInputs(pseudonym, { providers: [...slots.keys()], ...(identifiers ? { extra: identifiers } : {}) });
      for (const input of inputs) {
        const slot = slots.get(input.provider);
        if (slot) (out as Record<Slot, unknown>)[slot] = toResult(slot, input);
      }
      return out;
    },
  };
}
