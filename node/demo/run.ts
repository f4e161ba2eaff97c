import type { CliIo } from '../cli/command';
import type { HeldSignal, PeerStatus } from '../network/types';
import { expectStatus } from './admin-client';
import { demoCustomers } from './customers';
import { table } from './report';
import { demoSignals } from './scenario';
import { setupDemoConsortium, type DemoMember } from './setup';
import { demoDecisions } from './decisions';
import { demoImports } from './imports';
import { demoMerchantCheckout } from './merchant';
import { startMockGateway } from '../external/mock/index';

const notice = { version: '2026-11', hash: `sha256:${'5e'.repeat(32)}` };

type LookupBody = { signals: (Pick<HeldSignal, 'issuer' | 'logIndex' | 'type' | 'id'> & { verification: string; data: Record<string, unknown> })[] };

/** Every node checkpoints, then pulls from every peer, `rounds` times (deterministic convergence for the demo). */
async function converge(members: DemoMember[], rounds = 2): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    for (const m of members) await m.runtime.network.log.checkpointNow();
    for (const m of members) await m.runtime.network.peers.pullOnce();
  }
}

/**
 * The consortium demo: set up N members, record consents, publish a realistic mix of signals at each,
 * replicate and verify them everywhere, withdraw one consent and show its effect, and print a summary.
 */
export async function runDemo(opts: { root: string; members: number; basePort: number; io: CliIo }): Promise<{ members: DemoMember[]; stop: () => Promise<void> }> {
  const { io } = opts;
  io.out(`Setting up a ${opts.members}-member consortium in ${opts.root} ...`);
  const gateway = await startMockGateway();
  const { members } = await setupDemoConsortium({ root: opts.root, members: opts.members, basePort: opts.basePort, env: io.env, externalScores: gateway.config }).catch(async (err: unknown) => {
    await gateway.stop();
    throw err;
  });
  const stop = async () => {
    for (const m of members) await m.node.stop();
    await gateway.stop();
  };
  try {
    io.out(table(['member', 'name', 'URL'], members.map((m) => [m.id, m.name, m.node.url])));

    const customers = demoCustomers(members.length);
    const consentIds = new Map<string, string>();
    for (const [ci, c] of customers.entries()) {
      for (const mi of c.members) {
        const consent = await expectStatus<{ id: string }>(members[mi]!.admin, 201, 'POST', '/admin/v1/consents', {
          subject: { id: c.id },
          purpose: 'signal-sharing',
          recipients: ['consortium:demo-consortium'],
          dataCategories: ['credit-lines', 'repayments', 'refunds', 'fraud'],
          notice,
          collectionMethod: 'app-checkbox',
          automatedDecision: true,
        });
        consentIds.set(`${mi}:${ci}`, consent.id);
      }
    }
    io.out(`\nRecorded ${consentIds.size} signal-sharing consents for ${customers.length} customers.`);

    const signals = demoSignals(customers, new Date());
    const perMember = new Map<string, number>();
    for (const s of signals) {
      await expectStatus(members[s.member]!.admin, 201, 'POST', '/admin/v1/signals', { subject: { id: customers[s.customer]!.id }, type: s.type, data: s.data });
      perMember.set(members[s.member]!.id, (perMember.get(members[s.member]!.id) ?? 0) + 1);
    }
    io.out(`Published ${signals.length} signed signals: ${[...perMember].map(([m, n]) => `${m} ${n}`).join(', ')}.`);

    await demoImports(io, members, { customers: 60, seed: 'demo' });

    await converge(members);
    io.out('\nReplication (every node pulled and verified every peer log: checkpoint signature, consistency, every entry and signature):');
    const rows: (string | number)[][] = [];
    for (const m of members) {
      const { peers } = await expectStatus<{ peers: PeerStatus[] }>(m.admin, 200, 'GET', '/admin/v1/peers');
      for (const p of peers) rows.push([m.id, p.memberId, p.state, p.verifiedSize, p.appliedSize, p.lag]);
    }
    io.out(table(['node', 'peer', 'state', 'verified size', 'applied', 'lag'], rows));

    const focus = 1;
    const look = await expectStatus<LookupBody>(members[0]!.admin, 200, 'POST', '/admin/v1/subjects/lookup', { subject: { id: customers[focus]!.id } });
    io.out(`\nWhat ${members[0]!.id} knows about ${customers[focus]!.label}, from every member (by pseudonym only):`);
    io.out(table(['issuer', 'log index', 'type', 'data', 'verified'], look.signals.map((s) => [s.issuer, s.logIndex, s.type, JSON.stringify(s.data), s.verification])));

    const leaver = customers.length - 1;
    const from = members.length > 1 ? 1 : 0;
    const before = await expectStatus<LookupBody>(members[0]!.admin, 200, 'POST', '/admin/v1/subjects/lookup', { subject: { id: customers[leaver]!.id } });
    await expectStatus(members[from]!.admin, 200, 'POST', `/admin/v1/consents/${consentIds.get(`${from}:${leaver}`)}/withdraw`);
    await converge(members);
    const after = await expectStatus<LookupBody>(members[0]!.admin, 200, 'POST', '/admin/v1/subjects/lookup', { subject: { id: customers[leaver]!.id } });
    const control = new Set(['consent.withdrawn', 'signal.retracted']);
    const count = (b: LookupBody, issuer: string) => b.signals.filter((s) => s.issuer === issuer && !control.has(s.type)).length;
    const others = (b: LookupBody, issuer: string) => b.signals.filter((s) => s.issuer !== issuer && !control.has(s.type)).length;
    io.out(`\n${customers[leaver]!.label} withdrew consent at ${members[from]!.id}: it published a consent.withdrawn tombstone.`);
    io.out(`  at ${members[0]!.id}: signals from ${members[from]!.id} about them ${count(before, members[from]!.id)} -> ${count(after, members[from]!.id)}; from others ${others(before, members[from]!.id)} -> ${others(after, members[from]!.id)} (unchanged)`);

    const decided = await demoDecisions(io, members[0]!, customers);
    await demoMerchantCheckout(io, members[0]!, customers, decided);

    io.out('\nEach member node is a real HTTP server:');
    for (const m of members) io.out(`  ${m.id}  ${m.node.url}/docs   admin token: ${m.dir}/admin-token`);
    return { members, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
