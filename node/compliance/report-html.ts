import type { SubjectReport } from './subject-report';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return escapeHtml(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `<code>${escapeHtml(JSON.stringify(v))}</code>`;
};

function table(title: string, columns: string[], rows: unknown[][]): string {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.length === 0 ? `<tr><td colspan="${columns.length}">none</td></tr>` : rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`).join('\n');
  return `<section><h2>${escapeHtml(title)}</h2><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`;
}

/**
 * A printable, self-contained HTML page of a subject report (issue 9 §3): every value escaped, no scripts, no
 * external resources. The console (C2) serves it as-is; the JSON form is the authoritative export.
 */
export function renderSubjectReportHtml(r: SubjectReport): string {
  const style = 'body{font:13px/1.4 sans-serif;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:1.5em}th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}code{font-size:11px;white-space:pre-wrap;word-break:break-all}@media print{section{break-inside:avoid}}';
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Subject report</title><style>${style}</style></head><body>`,
    `<h1>Subject report (PIPL art. 45)</h1>`,
    `<p>Member ${escapeHtml(r.memberId)} · generated ${escapeHtml(r.generatedAt)} · subject ${escapeHtml(r.subject.identifier ?? '(identifier not stored)')} · pseudonym <code>${escapeHtml(r.subject.pseudonym)}</code></p>`,
    r.truncated.length > 0 ? `<p><strong>Sections shortened to the first rows: ${escapeHtml(r.truncated.join(', '))}</strong></p>` : '',
    table('Consents and their history', ['id', 'purpose', 'recipients', 'state', 'events'], r.consents.map((c) => [c.id, c.purpose, c.recipients.join(', '), c.state, c.events.map((e) => `${e.state} ${e.at}`).join('; ')])),
    table('Own records', ['key', 'entity', 'data', 'personal data'], r.records.map((x) => [x.key, x.entity, x.data, x.personal])),
    table('Signals published and who received them', ['signal', 'type', 'issued', 'expires', 'status', 'served to'], r.signalsPublished.map((s) => [s.id, s.type, s.issuedAt, s.expiresAt, s.expired ? `${s.status} (expired)` : s.status, s.servedTo.map((p) => `${p.peer} (${p.firstServedAt})`).join(', ')])),
    table('Signals held from other members', ['issuer', 'type', 'issued', 'expires', 'status', 'data'], r.signalsHeld.map((s) => [s.issuer, s.type, s.issuedAt, s.expiresAt, s.status, s.data])),
    table('External scores fetched', ['provider', 'consent', 'requested', 'received'], r.externalScores.fetched.map((f) => [f.provider, f.consentId, f.requestedAt, f.receivedAt])),
    table('Automated decisions and explanations', ['id', 'when', 'grade', 'limit (minor units)', 'status', 'reviews', 'decision'], r.decisions.map((d) => [d.id, d.createdAt, d.grade, d.limitMinor, d.status, d.reviews.map((v) => `${v.kind}: ${v.state}`).join('; '), d.decision])),
    table('Merchant queries', ['when', 'merchant', 'purpose', 'consent', 'action', 'outcome'], r.merchantQueries.map((q) => [q.at, q.clientId, q.purpose, q.consentId, q.action, q.outcome])),
    table('Merchant holds on the joint limit', ['when', 'merchant', 'consent', 'decision', 'amount (minor units)', 'state'], r.merchantAuthorizations.map((m) => [m.createdAt, m.clientId, m.consentId, m.decisionId, `${m.amountMinor} ${m.currency}`, m.state])),
    table('Erasures', ['id', 'executed', 'deleted', 'kept'], r.erasures.map((e) => [e.id, e.executedAt, e.deleted, e.kept])),
    table('Audit trail', ['index', 'when', 'event', 'actor'], r.auditTrail.map((t) => [t.index, t.at, t.type, t.actor])),
    '</body></html>',
  ];
  return parts.join('\n');
}
