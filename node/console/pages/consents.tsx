import type { ConsentSummary } from '../../compliance/consents';
import type { SignedReceipt } from '../../compliance/receipt';
import { Layout, Table, when, type PageContext } from '../layout';

/** The search form's current values (echoed back, escaped). */
export interface ConsentFilters {
  subject: string;
  purpose: string;
  recipient: string;
  state: string;
  from: string;
  to: string;
}

/** Consent search (by subject pseudonym, purpose, recipient, state, grant date range), newest first, paginated. */
export function ConsentSearchPage(props: { ctx: PageContext; filters: ConsentFilters; items: ConsentSummary[]; nextHref: string | null; notice?: string | undefined }) {
  const f = props.filters;
  return (
    <Layout title="Consents" ctx={props.ctx}>
      {props.notice ? <div class="error" role="alert">{props.notice}</div> : null}
      <form class="inline" method="get" action="/console/consents">
        <label>Subject pseudonym<input name="subject" value={f.subject} maxlength={43} /></label>
        <label>Purpose<input name="purpose" value={f.purpose} maxlength={64} /></label>
        <label>Recipient<input name="recipient" value={f.recipient} maxlength={128} /></label>
        <label>
          State
          <select name="state">
            {['', 'given', 'withdrawn', 'expired'].map((s) => <option value={s} selected={s === f.state}>{s || 'any'}</option>)}
          </select>
        </label>
        <label>Granted from<input name="from" type="date" value={f.from} /></label>
        <label>to<input name="to" type="date" value={f.to} /></label>
        <button type="submit">Search</button>
      </form>
      <p class="muted">To search by resident ID or mobile number, look the subject up on the Subjects page (identifiers never go into URLs).</p>
      <Table
        head={['consent', 'subject', 'purpose', 'recipients', 'state', 'granted', 'expires', 'withdrawn']}
        rows={props.items.map((c) => [
          <a href={`/console/consents/${encodeURIComponent(c.id)}`}>{c.id}</a>,
          <a href={`/console/subjects/${encodeURIComponent(c.subject)}`}>{`${c.subject.slice(0, 10)}…`}</a>,
          c.purpose, c.recipients.join(', '), c.state, when(c.grantedAt), when(c.expiresAt), when(c.withdrawnAt),
        ])}
        empty="No consents match."
      />
      {props.nextHref ? <p><a href={props.nextHref}>next page →</a></p> : null}
    </Layout>
  );
}

/** A signed consent receipt (ISO/IEC TS 27560 shape with the PIPL additions). */
export function ReceiptPage(props: { ctx: PageContext; signed: SignedReceipt }) {
  const r = props.signed.receipt;
  return (
    <Layout title={`Consent receipt ${r.recordId}`} ctx={props.ctx}>
      <Table
        head={['field', 'value']}
        rows={[
          ['state', r.state],
          ['subject (pseudonym)', <a href={`/console/subjects/${encodeURIComponent(r.subject.pseudonym)}`}>{r.subject.pseudonym}</a>],
          ['controller', `${r.controller.memberId} (${r.controller.consortium})`],
          ['purposes', r.purposes.map((p) => `${p.purpose}${p.automatedDecision ? ' (automated decision-making)' : ''}`).join(', ')],
          ['recipients', r.recipients.join(', ')],
          ['data categories', r.dataCategories.join(', ')],
          ['notice', `${r.notice.version} (${r.notice.hash})`],
          ['collection method', r.collectionMethod],
          ['valid', `${when(r.validity.from)} – ${when(r.validity.to)}`],
          ['PIPL', `separate consent (art. 23): yes; automated decision (art. 24): ${r.pipl.automatedDecision ? 'yes' : 'no'}; withdrawable (art. 15): yes`],
          ['original record', `${r.original.ref}, signed by ${r.original.signature.kid}`],
          ['receipt signature', `${props.signed.signature.alg} by ${props.signed.signature.kid}`],
        ]}
      />
      <h2>Events</h2>
      <Table head={['state', 'at', 'detail']} rows={r.events.map((e) => [e.state, when(e.at), e.detail ?? ''])} />
      <h2>Signed receipt (JSON)</h2>
      <pre>{JSON.stringify(props.signed, null, 2)}</pre>
    </Layout>
  );
}
