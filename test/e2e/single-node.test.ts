import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli, type CliProcess } from '../support/cli-process';
import { createTestDatabase } from '../support/databases';
import { startTcpProxy } from '../support/tcp-proxy';

const running: CliProcess[] = [];
afterAll(() => running.forEach((p) => p.proc.kill('SIGKILL')));

async function initNode(member: string): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'e2e-')), member);
  const init = runCli(['init', '--dir', dir, '--member', member, '--url', 'http://127.0.0.1:7400']);
  expect(await init.exited).toBe(0);
  return dir;
}

async function start(dir: string, env: NodeJS.ProcessEnv = {}): Promise<{ node: CliProcess; url: string }> {
  const node = runCli(['start', '--dir', dir, '--port', '0'], env);
  running.push(node);
  const [, url] = await node.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 90_000);
  return { node, url: url! };
}

async function waitForStatus(url: string, status: number, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  let last = 0;
  while (Date.now() < deadline) {
    last = (await fetch(url)).status;
    if (last === status) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} stayed ${last}, wanted ${status}`);
}

describe('a node started from the CLI', { timeout: 180_000 }, () => {
  it('serves the operational endpoints on PGlite, stops cleanly on SIGTERM and restarts on the same data', async () => {
    const dir = await initNode('solo');
    const { node, url } = await start(dir);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('consortium_http_requests_total');
    expect(await (await fetch(`${url}/openapi.yaml`)).text()).toMatch(/^openapi: 3\.1/);
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    node.proc.kill('SIGTERM');
    expect(await node.exited).toBe(0);
    expect(node.stdout()).toContain('stopped');

    const again = await start(dir);
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    again.node.proc.kill('SIGINT');
    expect(await again.node.exited).toBe(0);
  });

  const adminUrl = inject('postgresUrl');
  it.runIf(adminUrl)('runs on PostgreSQL via DATABASE_URL, and /readyz follows the database going away and coming back', async () => {
    const db = await createTestDatabase(adminUrl);
    const target = new URL(db.url);
    const proxy = await startTcpProxy(Number(target.port));
    target.port = String(proxy.port);
    try {
      const dir = await initNode('on-pg');
      const { node, url } = await start(dir, { DATABASE_URL: target.toString() });
      expect(node.stdout()).toContain('database: postgres');
      await waitForStatus(`${url}/readyz`, 200);
      await proxy.cut();
      await waitForStatus(`${url}/readyz`, 503);
      const body = (await (await fetch(`${url}/readyz`)).json()) as { code: string; checks: { database: string } };
      expect(body.code).toBe('not-ready');
      expect(body.checks.database).toMatch(/^unreachable/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await proxy.restore();
      await waitForStatus(`${url}/readyz`, 200);
      node.proc.kill('SIGTERM');
      expect(await node.exited).toBe(0);
    } finally {
      await proxy.close();
      await db.drop();
    }
  });
});
