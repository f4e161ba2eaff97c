import type { SubjectReport } from '../../compliance/subject-report';
import { Layout, Table, when, type PageContext } from '../layout';

const short = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s && s.length > 300 ? `${s.slice(0, 300)}…` : (s ?? '');
};

/**
 * The subject report (issue 9 §3, PIPL art. 45) as a printable console page: who looked at the subject, why and
 * with what consent; what was shared and with whom; decisions; consents; the audit trail. JSON export alongside.
 */
export function SubjectReportPage(props: { ctx: PageContext; report: SubjectReport }) {
  const r = props.report;
  const p = encodeURIComponent(r.subject.pseudonym);
  return (
    <Layout title="Subject report" ctx={props.ctx}>
      <p>
        Pseudonym <code>{r.subject.pseudonym}</code> · generated {when(r.generatedAt)} · <a href={`/console/subjects/${p}/report.json`}>Download JSON</a> ·{' '}
        <a href={`/console/consents?subject=${p}`}>Consent search</a>
      </p>
      {r.truncated.length > 0 ? <p class="error">Sections shortened to their first rows: {r.truncated.join(', ')}</p> : null}
      <h2>Who looked at this customer, why, and with what consent</h2>
      <Table head={['at', 'merchant', 'purpose', 'consent', 'action', 'outcome']} rows={r.merchantQueries.map((q) => [when(q.at), q.clientId, q.purpose, q.consentId, q.action, q.outcome])} empty="No merchant look-ups." />
      <Table head={['provider', 'consent', 'requested', 'received']} rows={r.externalScores.fetched.map((f) => [f.provider, f.consentId, when(f.requestedAt), when(f.receivedAt)])} empty="No external scores fetched." />
      <h2>Consents and their history</h2>
      <Table
        head={['consent', 'purpose', 'recipients', 'state', 'events']}
        rows={r.consents.map((c) => [<a href={`/console/consents/${encodeURIComponent(c.id)}`}>{c.id}</a>, c.purpose, c.recipients.join(', '), c.state, c.events.map((e) => `${e.state} ${when(e.at)}`).join('; ')])}
        empty="No consents."
      />
      <h2>What we shared about them, and with whom</h2>
      <Table
        head={['signal', 'type', 'issued', 'expires', 'status', 'served to']}
        rows={r.signalsPublished.map((s) => [s.id, s.type, when(s.issuedAt), when(s.expiresAt), s.expired ? `${s.status} (expired)` : s.status, s.servedTo.map((x) => `${x.peer} (${when(x.firstServedAt)})`).join(', ') || 'not served yet'])}
        empty="No signals published."
      />
      <h2>Signals held from other members</h2>
      <Table head={['issuer', 'type', 'issued', 'expires', 'status', 'data']} rows={r.signalsHeld.map((s) => [s.issuer, s.type, when(s.issuedAt), when(s.expiresAt), s.status, short(s.data)])} empty="None." />
      <h2>Automated decisions</h2>
      <Table
        head={['decision', 'made at', 'grade', 'status', 'reviews']}
        rows={r.decisions.map((d) => [<a href={`/console/decisions/${encodeURIComponent(d.id)}`}>{d.id}</a>, when(d.createdAt), d.grade, d.status, d.reviews.map((v) => `${v.kind}: ${v.state}`).join('; ')])}
        empty="No decisions."
      />
      <h2>Erasures</h2>
      <Table head={['id', 'executed', 'deleted', 'kept and why']} rows={r.erasures.map((e) => [e.id, when(e.executedAt), short(e.deleted), e.kept.map((k) => `${k.category} ×${k.count}: ${k.why}`).join('; ')])} empty="None." />
      <h2>Own records</h2>
      <Table head={['key', 'entity', 'updated', 'data']} rows={r.records.map((x) => [x.key, x.entity, when(x.updatedAt), short(x.data)])} empty="None." />
      <h2>Audit trail</h2>
      <Table head={['#', 'at', 'event', 'actor']} rows={r.auditTrail.map((t) => [<a href={`/console/audit/${t.index}`}>{t.index}</a>, when(t.at), t.type, t.actor])} empty="No audit entries." />
    </Layout>
  );
}
