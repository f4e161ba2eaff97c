import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTITY_ORDER, generateConsortium, type EntityName } from '../../adapters/member';
import type { CliIo } from '../cli/command';
import { expectStatus } from './admin-client';
import { table } from './report';
import type { DemoMember } from './setup';

type ImportView = { id: string; status: string; summary: { read: number; accepted: number; rejected: number; rejectedByReason: Record<string, number>; signals: { published: number } } };

const notice = { version: '2026-11', hash: `sha256:${'3c'.repeat(32)}` };

/**
 * Each member imports its own native exports (a seeded synthetic consortium: Chinese-header CSV with yuan,
 * nested NDJSON with fen, semicolon CSV with local codes) through its mapping over the admin API; rejected
 * rows are counted by reason, and the signals the data implies are derived and published for the customers
 * who consented to sharing.
 */
export async function demoImports(io: CliIo, members: DemoMember[], opts: { customers: number; seed: string }): Promise<number> {
  const synth = await generateConsortium({ members: members.length, customers: opts.customers, seed: opts.seed });
  const rows: (string | number)[][] = [];
  let published = 0;
  for (const [i, sm] of synth.members.entries()) {
    const m = members[i]!;
    mkdirSync(join(m.dir, 'mappings'), { recursive: true });
    writeFileSync(join(m.dir, 'mappings', 'export.json'), JSON.stringify(sm.mapping, null, 2));
    // Consent first (most customers agree; every fifth does not), so derivation can publish at import.
    const customers = synth.truth.filter((t) => t.accounts.some((a) => a.member === sm.id));
    for (const [k, t] of customers.entries()) {
      if (k % 5 === 4) continue;
      await expectStatus(m.admin, 201, 'POST', '/admin/v1/consents', {
        subject: { id: t.residentId },
        purpose: 'signal-sharing',
        recipients: ['consortium:demo-consortium'],
        dataCategories: ['orders', 'credit-lines', 'repayments', 'refunds', 'fraud'],
        notice,
        collectionMethod: 'web-form',
      });
    }
    const files = [...sm.files].sort((a, b) => ENTITY_ORDER.indexOf(a.entity as EntityName) - ENTITY_ORDER.indexOf(b.entity as EntityName));
    const total = { read: 0, accepted: 0, rejected: 0, signals: 0, reasons: new Map<string, number>() };
    for (const f of files) {
      const res = await fetch(`${m.admin.url}/admin/v1/imports?mapping=export&file=${encodeURIComponent(f.name)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${m.admin.token}`, 'content-type': f.name.endsWith('.ndjson') ? 'application/x-ndjson' : 'text/csv' },
        body: f.text,
      });
      if (res.status !== 202) throw new Error(`import of ${f.name} at ${m.id} answered ${res.status}: ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      let run: ImportView;
      for (;;) {
        run = await expectStatus<ImportView>(m.admin, 200, 'GET', `/admin/v1/imports/${id}`);
        if (run.status === 'succeeded' || run.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      total.read += run.summary.read;
      total.accepted += run.summary.accepted;
      total.rejected += run.summary.rejected;
      total.signals += run.summary.signals.published;
      for (const [reason, n] of Object.entries(run.summary.rejectedByReason)) total.reasons.set(reason, (total.reasons.get(reason) ?? 0) + n);
    }
    published += total.signals;
    rows.push([m.id, sm.format, files.length, total.read, total.accepted, total.rejected, [...total.reasons].map(([r, n]) => `${r} ${n}`).join(', ') || '-', total.signals]);
  }
  io.out(`\nEach member imported its own exports (${opts.customers} synthetic customers shared across members) through its mapping:`);
  io.out(table(['member', 'native format', 'files', 'rows', 'accepted', 'rejected', 'rejected by reason', 'signals derived'], rows));
  return published;
}
