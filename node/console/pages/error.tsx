import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { problemCatalog, type ProblemCode } from '../../http/problem';
import { Layout, render } from '../layout';

/** The HTML page for a refused console request: the problem's status and title, its stable code, and `message`. */
export function errorPage(c: Context, code: ProblemCode, message: string): Response {
  const { status, title } = problemCatalog[code];
  const page = (
    <Layout title={title} ctx={null}>
      <div class="error">
        <p>{message}</p>
        <p class="muted">code: {code}</p>
      </div>
      <p><a href="/console/dashboard">Back to the dashboard</a></p>
    </Layout>
  );
  return render(c, page, status as ContentfulStatusCode);
}
