import { Hono } from 'hono';
import type { SignedSignal } from '../../protocol';
import type { HeldSignal, Network } from '../../node/network/types';

/**
 * An in-memory stand-in for the network module, for tests of the services above it: appends go to an
 * array (indexes 0, 1, ...), and `bySubject` returns this member's own unexpired signals.
 */
export function createFakeNetwork(memberId: string): Network & { appended: SignedSignal[] } {
  const appended: SignedSignal[] = [];
  const held = (s: SignedSignal, i: number): HeldSignal => ({
    issuer: memberId,
    logIndex: i,
    id: s.body.id,
    type: s.body.type,
    subject: s.body.subject,
    issuedAt: s.body.issuedAt,
    expiresAt: s.body.expiresAt,
    signed: s,
    verification: 'verified',
    own: true,
  });
  return {
    appended,
    surface: new Hono(),
    log: {
      async append(signals) {
        return signals.map((s) => ({ index: appended.push(s) - 1, id: s.body.id }));
      },
      async latestCheckpoint() {
        return null;
      },
      async checkpointNow() {
        return appended.length;
      },
    },
    signals: {
      async bySubject(subject, asOf) {
        return appended.map(held).filter((h) => h.subject.value === subject && Date.parse(h.expiresAt) > asOf.getTime());
      },
    },
    peers: { status: async () => [], pullOnce: async () => undefined, evidence: async () => [], releaseQuarantine: async () => false },
    start() {},
    async stop() {},
  };
}
