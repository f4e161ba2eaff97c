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

/** One signal of a {@link PublishService.publishForSubjects} call. */
export interface SignalToPublish { type: Exclude<SignalType, 'consent.withdrawn'>; data: unknown; expiresAt?: string }

export interface PublishService {
  /** Validates, checks the sharing consent, signs and appends one signal; resolves once it is durably logged. */
  publish(req: PublishSignalRequest): Promise<{ ok: true; signal: Published } | PublishFailure>;
  /**
   * Publishes a signal about a subject already known by pseudonym (derived signals from imports), under
   * the subject's active sharing consent; `consent-required` when there is none.
   */
  publishFor(subject: { kid: string; value: string }, type: Exclude<SignalType, 'consent.withdrawn'>, data: unknown, expiresAt?: string): Promise<{ ok: true; signal: Published } | PublishFailure>;
  /**
   * {@link PublishService.publishFor} for many signals about many subjects at once (a derivation page:
   * each subject's retractions and new states): one consent query and one log append, in order. One
   * answer per subject, in order: `consent-required` for a subject without an active sharing consent,
   * otherwise one result per signal.
   */
  publishForSubjects(batch: readonly { subject: { kid: string; value: string }; signals: readonly SignalToPublish[] }[]): Promise<({ ok: true; results: ({ ok: true; signal: Published } | PublishFailure)[] } | PublishFailure)[]>;
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

  type Consent = { id: string; ref: string };
  type Result = { ok: true; signal: Published } | PublishFailure;

  /** Builds and signs one signal under `consent`, or says why the protocol refuses it. */
  function sign(type: SignalType, subject: { kid: string; value: string }, consent: Consent, data: unknown, expiresAt?: string): SignedSignal | PublishFailure {
    try {
      const body = buildSignalBody({
        type,
        id: newSignalId(deps.random),
        issuer: deps.memberId,
        subject,
        issuedAt: deps.now(),
        consent: consent.ref,
        data: data as SignalData<typeof type>,
        ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}),
      });
      return signSignal(body, deps.signalKey);
    } catch (err) {
      if (err instanceof ProtocolError) return { ok: false, code: 'signal-invalid', message: err.message, protocolCode: err.code };
      throw err;
    }
  }

  type Batch = readonly { subject: { kid: string; value: string }; consent: Consent; signals: readonly { type: SignalType; data: unknown; expiresAt?: string }[] }[];

  /** Signs each subject's signals under its consent and appends the valid ones to the log in one step, in order; results per subject. */
  async function signAndAppend(batch: Batch): Promise<Result[][]> {
    const signed = batch.map((b) => b.signals.map((x) => sign(x.type, b.subject, b.consent, x.data, x.expiresAt)));
    const valid = signed.flat().filter((x): x is SignedSignal => !('ok' in x));
    let appended: { index: number }[] = [];
    if (valid.length) {
      try {
        appended = await deps.network.log.append(valid);
      } catch (err) {
        if (!isNetworkError(err)) throw err;
        const failure: PublishFailure = err.code === 'not-joined' ? notJoined : { ok: false, code: 'signal-invalid', message: err.message, protocolCode: err.code };
        return signed.map((list) => list.map((x) => ('ok' in x ? x : failure)));
      }
    }
    let next = 0;
    const results: Result[][] = [];
    for (const [i, list] of signed.entries()) {
      const { subject, consent } = batch[i]!;
      const out: Result[] = [];
      for (const x of list) {
        if ('ok' in x) {
          out.push(x);
          continue;
        }
        const index = appended[next++]!.index;
        await deps.audit?.record({ type: 'signal.published', actor: 'system', subject: subject.value, detail: { signal: x.body.id, signalType: x.body.type, logIndex: index, consent: consent.id, expiresAt: x.body.expiresAt } });
        out.push({ ok: true, signal: { id: x.body.id, index, type: x.body.type, issuedAt: x.body.issuedAt, expiresAt: x.body.expiresAt, consentId: consent.id } });
      }
      results.push(out);
    }
    return results;
  }

  async function publishForSubjects(batch: readonly { subject: { kid: string; value: string }; signals: readonly SignalToPublish[] }[]) {
    if (!deps.consents || !deps.consortiumId) return batch.map(() => notJoined);
    const recipient = `consortium:${deps.consortiumId}`;
    const found = await deps.consents.findActiveFor(batch.map((b) => b.subject.value), 'signal-sharing', deps.now(), recipient);
    const consented = batch.flatMap((b) => {
      const consent = found.get(b.subject.value);
      return consent ? [{ ...b, consent }] : [];
    });
    const published = await signAndAppend(consented);
    let next = 0;
    return batch.map((b) => found.has(b.subject.value)
      ? ({ ok: true, results: published[next++]! } as const)
      : ({
        ok: false,
        code: 'consent-required',
        purpose: 'signal-sharing',
        recipient,
        message: `the subject has no active consent to share signals with the consortium (purpose signal-sharing, recipient ${recipient}); record one with POST /admin/v1/consents`,
      } as const));
  }

  async function publishFor(subject: { kid: string; value: string }, type: Exclude<SignalType, 'consent.withdrawn'>, data: unknown, expiresAt?: string): Promise<Result> {
    const r = (await publishForSubjects([{ subject, signals: [{ type, data, ...(expiresAt ? { expiresAt } : {}) }] }]))[0]!;
    return r.ok ? r.results[0]! : r;
  }

  return {
    async publish(req) {
      if (!deps.subjects || !deps.consents || !deps.consortiumId) return notJoined;
      const subject = await deps.subjects.resolve(req.subject.id);
      if (!subject.ok) return subject;
      return publishFor(subject.pseudonym, req.type as Exclude<SignalType, 'consent.withdrawn'>, req.data, req.expiresAt);
    },
    publishFor,
    publishForSubjects,
    async publishTombstone(consent) {
      if (!deps.consortiumId) return notJoined;
      return (await signAndAppend([{ subject: consent.subject, consent, signals: [{ type: 'consent.withdrawn', data: { scope: 'all' } }] }]))[0]![0]!;
    },
  };
}
