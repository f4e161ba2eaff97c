import { CsrfField, Layout, type PageContext } from '../layout';

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
