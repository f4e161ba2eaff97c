import type { PeerStatus } from '../../network/types';
import { BarChart } from '../charts';
import { Layout, Table, when, type PageContext } from '../layout';

/** Everything the dashboard shows (issue 9 §6). */
export interface DashboardData {
  consents: { purpose: string; state: string; n: number }[];
  queries: { client_id: string; name: string; purpose: string; n: number }[];
  querySince: Date;
  sharing: { peer: string; served_up_to: number; last_served_at: Date | string | null; held: number }[];
  peers: PeerStatus[] | null;
  backlog: { n: number; oldest: Date | string | null };
}

/** The dashboard: alerts first, then consents, merchant queries and sharing per peer. */
export function DashboardPage(props: { ctx: PageContext; data: DashboardData }) {
  const d = props.data;
  const quarantined = (d.peers ?? []).filter((p) => p.state === 'quarantined');
  const unreachable = (d.peers ?? []).filter((p) => p.state === 'unreachable');
  const states = ['active', 'expired', 'withdrawn'];
  const purposes = [...new Set(d.consents.map((c) => c.purpose))];
  const count = (purpose: string, state: string) => d.consents.find((c) => c.purpose === purpose && c.state === state)?.n ?? 0;
  return (
    <Layout title="Dashboard" ctx={props.ctx}>
      <section class={quarantined.length + unreachable.length + d.backlog.n > 0 ? 'card alert' : 'card'} aria-label="Alerts">
        <h2>Alerts</h2>
        <ul>
          {quarantined.map((p) => <li class="bad">Peer {p.memberId} is quarantined: {p.lastError ?? 'inconsistent log'}</li>)}
          {unreachable.map((p) => <li>Peer {p.memberId} is unreachable since {when(p.lastAttemptAt)}</li>)}
          <li>
            Review backlog: <strong>{d.backlog.n}</strong> pending review task(s){d.backlog.n > 0 ? `, oldest from ${when(d.backlog.oldest)}` : ''}
          </li>
          {d.peers === null ? <li class="muted">This node has not joined a consortium.</li> : null}
          {quarantined.length === 0 && d.peers !== null ? <li class="ok">No peer is quarantined.</li> : null}
        </ul>
      </section>

      <h2>Consents by purpose and state</h2>
      <Table
        head={['purpose', ...states, 'total']}
        num={[1, 2, 3, 4]}
        rows={purposes.map((p) => [p, ...states.map((s) => count(p, s)), states.reduce((a, s) => a + count(p, s), 0)])}
        empty="No consents recorded."
      />
      <BarChart title="Active consents by purpose" bars={purposes.map((p) => ({ label: p, value: count(p, 'active') }))} />

      <h2>Merchant queries by merchant and purpose (since {when(d.querySince)})</h2>
      <Table head={['merchant', 'client id', 'purpose', 'queries']} num={[3]} rows={d.queries.map((q) => [q.name, q.client_id, q.purpose, q.n])} empty="No merchant queries in this period." />

      <h2>Signals shared per peer</h2>
      <Table
        head={['peer', 'state', 'our log entries served (up to index)', 'last served', 'valid signals held from the peer']}
        num={[2, 4]}
        rows={mergePeers(d).map((p) => [p.peer, p.state, p.served, when(p.lastServed), p.held])}
        empty="No peers yet."
      />
    </Layout>
  );
}

function mergePeers(d: DashboardData) {
  const ids = new Set([...(d.peers ?? []).map((p) => p.memberId), ...d.sharing.map((s) => s.peer)]);
  return [...ids].sort().map((peer) => {
    const s = d.sharing.find((x) => x.peer === peer);
    return { peer, state: d.peers?.find((p) => p.memberId === peer)?.state ?? 'own log', served: s?.served_up_to ?? 0, lastServed: s?.last_served_at ?? null, held: s?.held ?? 0 };
  });
}
