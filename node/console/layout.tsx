import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { OfficerPrincipal } from '../compliance/contracts';

/** What every signed-in page shows in its header. */
export interface PageContext {
  officer: OfficerPrincipal;
  /** The session's CSRF token, put in every form. */
  csrf: string;
}

/** The hidden CSRF field every console form carries. */
export const CsrfField = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />;

const nav: { href: string; label: string; auditorOnly?: boolean }[] = [
  { href: '/console/dashboard', label: 'Dashboard' },
  { href: '/console/reports/credit', label: 'Credit reports' },
  { href: '/console/consents', label: 'Consents', auditorOnly: true },
  { href: '/console/subjects', label: 'Subjects', auditorOnly: true },
  { href: '/console/audit', label: 'Audit log', auditorOnly: true },
];

/** The page frame: head (stylesheet only, no scripts), navigation, the officer and the sign-out form. */
export function Layout(props: { title: string; ctx: PageContext | null; children?: Child }) {
  const ctx = props.ctx;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · compliance console`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
      </head>
      <body>
        {ctx ? (
          <header>
            <strong>Compliance console</strong>
            {nav.filter((n) => !n.auditorOnly || ctx.officer.role === 'auditor').map((n) => <a href={n.href}>{n.label}</a>)}
            <span class="who">
              {ctx.officer.username} ({ctx.officer.role}){' '}
              <form method="post" action="/console/logout">
                <CsrfField token={ctx.csrf} />
                <button type="submit">Sign out</button>
              </form>
            </span>
          </header>
        ) : null}
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A table of rows; `num` marks right-aligned numeric columns by index. */
export function Table(props: { head: string[]; rows: Child[][]; num?: number[]; empty?: string }) {
  if (props.rows.length === 0) return <p class="muted">{props.empty ?? 'nothing to show'}</p>;
  const num = new Set(props.num ?? []);
  return (
    <table>
      <thead>
        <tr>{props.head.map((h, i) => <th class={num.has(i) ? 'num' : undefined}>{h}</th>)}</tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>{r.map((cell, i) => <td class={num.has(i) ? 'num' : undefined}>{cell}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}

/** Sends a page as HTML with the doctype (components are synchronous, so the element renders to a string). */
export function render(c: Context, page: Child, status: ContentfulStatusCode = 200): Response {
  return c.html(`<!doctype html>${String(page)}`, status) as Response;
}

/** ISO date-time, or a dash. */
export const when = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().replace('.000Z', 'Z') : '–');
