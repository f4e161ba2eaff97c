import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);
const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));

const assets: Record<string, { file: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
};

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>consortium-node API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#api-reference', deepLinking: true, tryItOutEnabled: false, persistAuthorization: false });`;

const csp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'";

/** `/openapi.yaml` and `/docs`: an interactive reference (Swagger UI, served locally, no CDN) rendered from the spec. */
export function docsRoutes(deps: { openapiText: string }) {
  const app = new Hono();
  const cache = new Map<string, Uint8Array>();
  app.get('/openapi.yaml', (c) => c.body(deps.openapiText, 200, { 'content-type': 'application/yaml; charset=utf-8' }));
  app.get('/docs', (c) => c.html(page, 200, { 'content-security-policy': csp }));
  app.get('/docs/assets/:name', (c) => {
    const name = c.req.param('name');
    if (name === 'init.js') return c.body(init, 200, { 'content-type': 'text/javascript; charset=utf-8' });
    const asset = assets[name];
    if (!asset) return c.notFound();
    let bytes = cache.get(name);
    if (!bytes) {
      bytes = new Uint8Array(readFileSync(join(swaggerDir, asset.file)));
      cache.set(name, bytes);
    }
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' });
  });
  return app;
}
