import { existsSync } from 'node:fs';
import { ProtocolError, verifyRoster, type GovernanceKey, type RosterBody, type SignedRoster } from '../../protocol';
import type { Logger } from '../observability/logger';
import type { MetaRepository } from '../store/repositories/meta';
import type { RosterSource } from '../network/types';
import { readRosterFile } from '../governance/files';
import type { AuditSink } from '../compliance/contracts';

/** Why a roster was refused; stable codes for the admin API. */
export type RosterRejection = { ok: false; code: 'roster-invalid' | 'roster-not-newer' | 'roster-untrusted' | 'roster-wrong-consortium' | 'not-joined'; message: string };

export interface RosterService extends RosterSource {
  /** Verifies and applies a newer roster (persisted, listeners notified); expected failures are returned. */
  apply(signed: SignedRoster): Promise<{ ok: true; version: number } | RosterRejection>;
}

const codeOf = (err: ProtocolError): RosterRejection['code'] =>
  err.code === 'ROSTER_VERSION_NOT_NEWER' ? 'roster-not-newer' : err.code === 'ROSTER_BAD_SIGNATURE' ? 'roster-untrusted' : err.code === 'ROSTER_CONSORTIUM_MISMATCH' ? 'roster-wrong-consortium' : 'roster-invalid';

/**
 * The roster this node trusts: the highest verified version, persisted in the database. At start it takes
 * the roster file written by `join` when that is newer than the stored one.
 */
export async function createRosterService(deps: {
  meta: MetaRepository;
  logger: Logger;
  consortiumId: string | null;
  anchors: GovernanceKey[];
  rosterFile?: string;
  /** Records `roster.applied` (issue 9 audit log). */
  audit?: AuditSink;
}): Promise<RosterService> {
  const listeners = new Set<(b: RosterBody) => void>();
  let current: { body: RosterBody; signed: SignedRoster } | null = null;
  const stored = await deps.meta.get<SignedRoster>('roster');
  if (stored) current = { body: verifyRoster(stored, { anchors: stored.body.governance }), signed: stored };

  const service: RosterService = {
    current: () => current,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async apply(signed) {
      if (!deps.consortiumId) return { ok: false, code: 'not-joined', message: 'this node has not joined a consortium yet; run consortium-node join first' };
      let body: RosterBody;
      try {
        body = verifyRoster(signed, current ? { current: current.body } : { anchors: deps.anchors });
      } catch (err) {
        if (err instanceof ProtocolError) return { ok: false, code: codeOf(err), message: err.message };
        throw err;
      }
      if (body.consortium !== deps.consortiumId) return { ok: false, code: 'roster-wrong-consortium', message: `roster is for '${body.consortium}', this node is in '${deps.consortiumId}'` };
      await deps.meta.set('roster', signed);
      current = { body, signed };
      deps.logger.info({ version: body.version, members: body.members.length }, 'roster applied');
      for (const l of listeners) l(body);
      await deps.audit?.record({ type: 'roster.applied', actor: 'admin', detail: { consortium: body.consortium, version: body.version, members: body.members.map((m) => ({ id: m.id, status: m.status })) } });
      return { ok: true, version: body.version };
    },
  };

  if (deps.rosterFile && existsSync(deps.rosterFile)) {
    const fromFile = readRosterFile(deps.rosterFile);
    if (!current || fromFile.body.version > current.body.version) {
      const r = await service.apply(fromFile);
      if (!r.ok) deps.logger.warn({ code: r.code, reason: r.message }, 'roster file not applied');
    }
  }
  return service;
}
