import { CsrfField, Layout, Table, when, type PageContext } from '../layout';

/**
 * The subject look-up form. The raw identifier (resident ID or mobile number) is POSTed, never put in a URL,
 * and pseudonymized on arrival; only the pseudonym appears in the next URL and in the audit log.
 */
export function SubjectLookupPage(props: { ctx: PageContext; notice?: string }) {
  return (
    <Layout title="Subjects" ctx={props.ctx}>
      {props.notice ? <div class="error" role="alert">{props.notice}</div> : null}
      <form class="inline" method="post" action="/console/subjects/lookup">
        <CsrfField token={props.ctx.csrf} />
        <label>
          Resident ID or mobile number
          <input name="id" required maxlength={64} autocomplete="off" />
        </label>
        <button type="submit">Look up</button>
      </form>
      <p class="muted">The identifier is pseudonymized on arrival; only the pseudonym is kept in the audit log.</p>
    </Layout>
  );
}

/** What the subject page lists when no subject report service is wired. */
export interface SubjectSummary {
  pseudonym: string;
  decisions: { id: string; createdAt: Date; grade: string; status: string; trigger: string }[];
  queries: { at: Date; clientId: string; purpose: string; consentId: string; action: string; outcome: string }[];
}

/** A subject's decisions and merchant look-ups (who looked, why, with which consent). */
export function SubjectSummaryPage(props: { ctx: PageContext; summary: SubjectSummary; children?: unknown }) {
  const s = props.summary;
  return (
    <Layout title={`Subject ${s.pseudonym.slice(0, 12)}…`} ctx={props.ctx}>
      <p>
        Pseudonym <code>{s.pseudonym}</code>
      </p>
      <h2>Decisions</h2>
      <Table
        head={['decision', 'made at', 'grade', 'status', 'trigger']}
        rows={s.decisions.map((d) => [<a href={`/console/decisions/${encodeURIComponent(d.id)}`}>{d.id}</a>, when(d.createdAt), d.grade, d.status, d.trigger])}
        empty="No decisions about this subject."
      />
      <h2>Merchant look-ups</h2>
      <Table
        head={['at', 'merchant', 'purpose', 'consent', 'action', 'outcome']}
        rows={s.queries.map((q) => [when(q.at), q.clientId, q.purpose, q.consentId, q.action, q.outcome])}
        empty="No merchant look-ups of this subject."
      />
    </Layout>
  );
}
