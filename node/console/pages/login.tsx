import { Layout } from '../layout';

/** The sign-in form; `notice` explains why the officer is here again (failed, throttled, expired, signed out). */
export function LoginPage(props: { notice?: string | undefined; username?: string | undefined }) {
  return (
    <Layout title="Sign in" ctx={null}>
      <div class="login card">
        {props.notice ? <div class="error" role="alert">{props.notice}</div> : null}
        <form method="post" action="/console/login">
          <label>
            Username
            <input name="username" autocomplete="username" required maxlength={128} value={props.username ?? ''} />
          </label>
          <label>
            Password
            <input name="password" type="password" autocomplete="current-password" required maxlength={1024} />
          </label>
          <button type="submit">Sign in</button>
        </form>
      </div>
    </Layout>
  );
}
