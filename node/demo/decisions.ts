import type { CliIo } from '../cli/command';
import { expectStatus } from './admin-client';
import type { DemoCustomer } from './customers';
import { table } from './report';
import type { DemoMember } from './setup';

type DecisionBody = {
  id: string;
  grade: string;
  status: string;
  vip: { tier: string } | null;
  limit: { jointLimitMinor: number; exposureDeductionMinor: number };
  reasons: { model: { factors: { code: string; en: string; contribution: number }[] }; rules: { code: string; en: string }[] };
  evidence: { signals: { issuer: string; logIndex: number; type: string }[]; external: { source: string; status: string; value?: unknown }[] };
};

const notice = { version: '2026-11', hash: `sha256:${'7a'.repeat(32)}` };
const yuan = (minor: number) => `CNY ${(minor / 100).toLocaleString('en-US')}`;

/**
 * At the first member: consents for each external provider, then a joint decision per customer that merges
 * the consortium's signals with the Sesame score, Sesame admittance and WeChat Pay Score (from the mock
 * gateway), with grade, VIP tier, joint limit, reasons and evidence.
 */
export async function demoDecisions(io: CliIo, member: DemoMember, customers: DemoCustomer[]): Promise<DecisionBody[]> {
  const out: DecisionBody[] = [];
  for (const [i, c] of customers.entries()) {
    if (!c.members.includes(0)) continue;
    for (const provider of ['zhima', 'zhima-brief', 'payscore']) {
      await expectStatus(member.admin, 201, 'POST', '/admin/v1/consents', {
        subject: { id: c.id },
        purpose: `external-score:${provider}`,
        recipients: [provider],
        dataCategories: ['identity', 'external-scores'],
        notice,
        collectionMethod: 'app-checkbox',
        automatedDecision: true,
      });
    }
    const name = c.label.split(' (')[0]!;
    out.push(
      await expectStatus<DecisionBody>(member.admin, 201, 'POST', '/admin/v1/decisions', {
        subject: { id: c.id },
        externalIdentifiers: { name, alipayAuthToken: `demo_token_${i}`, alipayUserId: `20880000000000${String(i).padStart(2, '0')}`, wechatOpenid: `oDemoOpenid${i}xyz` },
      }),
    );
  }
  io.out(`\nJoint decisions at ${member.id} (consortium signals + Sesame score, Sesame admittance, WeChat Pay Score from the mock gateway):`);
  const named = customers.filter((c) => c.members.includes(0));
  io.out(
    table(
      ['customer', 'grade', 'VIP', 'joint limit', 'status', 'external', 'signals used', 'top reason'],
      out.map((d, i) => [
        named[i]!.label.split(' (')[0]!,
        d.grade,
        d.vip?.tier ?? '-',
        yuan(d.limit.jointLimitMinor),
        d.status,
        d.evidence.external.map((e) => `${e.source}=${e.status === 'ok' ? String(e.value) : e.status}`).join(' '),
        d.evidence.signals.length,
        d.reasons.rules[0]?.en ?? d.reasons.model.factors[0]?.en ?? '-',
      ]),
    ),
  );
  return out;
}
