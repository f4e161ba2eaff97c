import { z } from 'zod';
import { buildSignalBody, newSignalId, ProtocolError, signSignal, SIGNAL_TYPES, type SignalData, type SignalType, type SignedSignal } from '../../protocol';
import type { ConsentService } from '../consent/service';
import { isNetworkError } from '../network/errors';
import type { Network } from '../network/types';
import type { SubjectService } from '../subjects/service';
import type { AuditSink } from '../compliance/contracts';

/** Signal types a back office may state directly; `consent.withdrawn` is published only by consent withdrawal. */
export const publishableTypes = SIGNAL_TYPES.filter((t) => t !== 'consent.withdrawn') as Exclude<SignalType, 'consent.withdrawn'>[];

/** `POST /admin/v1/signals` body. */
export const publishSignalRequest = z.strictObject({
  subject: z.strictObject({ id: z.string().min(1).max(64) }),
  type: z.enum(publishableTypes as [string, ...string[]]),
  data: z.record(z.string(), z.unknown()),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

export type PublishSignalRequest = z.infer<typeof publishSignalRequest>;

export interface Published {
  id: string;
  index: number;
  type: string;
  issuedAt: string;
  expiresAt: string;
  consentId: string;
}

export type PublishFailure =
  | { ok: false; code: 'subject-invalid'; message: string }
  | { ok: false; code: 'consent-required'; message: string; purpose: string; recipient: string }
  | { ok: false; code: 'signal-invalid'; message: string; protocolCode: string }
  | { ok: false; code: 'not-joined'; message: string };

export interface PublishService {
  /** Validates, checks the sharing consent, signs and appends one signal; resolves once it is durably logged. */
  publish(req: PublishSignalRequest): Promise<{ ok: true; signal: Published } | PublishFailure>;
  /**
   * Publishes a signal about a subject already known by pseudonym (derived signals from imports), under
   * the subject's active sharing consent; `consent-required` when there is none.
   */
  publishFor(subject: { kid: string; value: string }, type: Exclude<SignalType, 'consent.withdrawn'>, data: unknown, expiresAt?: string): Promise<{ ok: true; signal: Published } | PublishFailure>;
  /** Publishes the `consent.withdrawn` tombstone of a withdrawn sharing consent. */
  publishTombstone(consent: { id: string; ref: string; subject: { kid: string; value: string } }): Promise<{ ok: true; signal: Published } | PublishFailure>;
}

export function createPublishService(deps: {
  memberId: string;
  consortiumId: string | null;
  signalKey: { kid: string; secretKey: Uint8Array };
  subjects: SubjectService | null;
  consents: ConsentService | null;
  network: Pick<Network, 'log'>;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** Records `signal.published` (issue 9 audit log). */
  audit?: AuditSink;
}): PublishService {
  const notJoined = { ok: false, code: 'not-joined', message: 'this node has not joined a consortium; run consortium-node join' } as const;

  async function signAndAppend<T extends SignalType>(type: T, subject: { kid: string; value: string }, consent: { id: string; ref: string }, data: unknown, expiresAt?: string) {
    let signed: SignedSignal;
    try {
      const body = buildSignalBody({
        type,
        id: newSignalId(deps.random),
        issuer: deps.memberId,
        subject,
        issuedAt: deps.now(),
        consent: consent.ref,
        data: data as SignalData<T>,
        ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}),
      });
      signed = signSignal(body, deps.signalKey);
    } catch (err) {
      if (err instanceof ProtocolError) return { ok: false, code: 'signal-invalid', message: err.message, protocolCode: err.code } as const;
      throw err;
    }
    let appended;
    try {
      [appended] = await deps.network.log.append([signed]);
    } catch (err) {
      if (isNetworkError(err)) {
        if (err.code === 'not-joined') return notJoined;
        return { ok: false, code: 'signal-invalid', message: err.message, protocolCode: err.code } as const;
      }
      throw err;
    }
    await deps.audit?.record({ type: 'signal.published', actor: 'system', subject: subject.value, detail: { signal: signed.body.id, signalType: type, logIndex: appended!.index, consent: consent.id, expiresAt: signed.body.expiresAt } });
    return {
      ok: true,
      signal: { id: signed.body.id, index: appended!.index, type, issuedAt: signed.body.issuedAt, expiresAt: signed.body.expiresAt, consentId: consent.id },
    } as const;
  }

  async function publishFor(subject: { kid: string; value: string }, type: SignalType, data: unknown, expiresAt?: string) {
    if (!deps.consents || !deps.consortiumId) return notJoined;
    const recipient = `consortium:${deps.consortiumId}`;
    const consent = await deps.consents.findActive(subject.value, 'signal-sharing', deps.now(), recipient);
    if (!consent) {
      return {
        ok: false,
        code: 'consent-required',
        purpose: 'signal-sharing',
        recipient,
        message: `the subject has no active consent to share signals with the consortium (purpose signal-sharing, recipient ${recipient}); record one with POST /admin/v1/consents`,
      } as const;
    }
    return signAndAppend(type, subject, consent, data, expiresAt);
  }

  return {
    async publish(req) {
      if (!deps.subjects || !deps.consents || !deps.consortiumId) return notJoined;
      const subject = await deps.subjects.resolve(req.subject.id);
      if (!subject.ok) return subject;
      return publishFor(subject.pseudonym, req.type as SignalType, req.data, req.expiresAt);
    },
    publishFor,
    async publishTombstone(consent) {
      if (!deps.consortiumId) return notJoined;
      return signAndAppend('consent.withdrawn', consent.subject, consent, { scope: 'all' });
    },
  };
}
