/**
 * Browser test of the compliance console (issue 9 §7): a real node on 127.0.0.1 (composeNode + @hono/node-server),
 * seeded through the admin API (consent, decision, officer), driven by headless Chromium (Debian's `chromium`
 * through playwright-core; no browser downloads). Screenshots of the main pages go to test-results/console/.
 * Skips only when chromium is missing outside CI; under CI (CI=true) a missing chromium fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeNode } from '../../../node/compose';
import { loadConfig } from '../../../node/config/load';
import { createLogger } from '../../../node/observability/logger';
import { listen, type RunningNode } from '../../../node/server';
import { createFakeNetwork } from '../../support/fake-network';
import { joinedNodes } from '../../support/member-fixture';
import { migratedPglite } from '../../support/pglite';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const underCi = process.env.CI === 'true' || process.env.CI === '1';
const SHOTS = join(process.cwd(), 'test-results', 'console');
const SUBJECT = '11010519491231002X';
const PASSWORD = 'console e2e passphrase 42';
const STEP_MS = 20_000;

describe.skipIf(!haveChromium && !underCi)('compliance console in headless Chromium', () => {
  let fx: Awaited<ReturnType<typeof joinedNodes>>;
  let node: RunningNode;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let decisionId: string;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI needs Debian's chromium at ${CHROMIUM} for the console browser test (.ci/run installs it)`);
    fx = await joinedNodes(['bank-a', 'bank-b']);
    const dir = fx.nodes[0]!.dir;
    const adminToken = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
    const runtime = await composeNode(loadConfig(dir, {}), { database: await migratedPglite(), logger: createLogger({ level: 'silent' }), createNetwork: () => createFakeNetwork('bank-a') });
    node = await listen(runtime, '127.0.0.1', 0);
    const admin = async (method: string, path: string, body: unknown, want: number) => {
      const res = await fetch(`${node.url}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(STEP_MS) });
      const json = (await res.json()) as any;
      if (res.status !== want) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    await admin('POST', '/admin/v1/consents', {
      subject: { id: SUBJECT }, purpose: 'signal-sharing', recipients: ['consortium:test-consortium'], dataCategories: ['repayments'],
      notice: { version: '2026-11', hash: `sha256:${'ab'.repeat(32)}` }, collectionMethod: 'app-checkbox',
    }, 201);
    decisionId = (await admin('POST', '/admin/v1/decisions', { subject: { id: SUBJECT } }, 201)).id;
    await admin('POST', '/admin/v1/officers', { username: 'auditor1', role: 'auditor', password: PASSWORD }, 201);

    mkdirSync(SHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 60_000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1200, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(STEP_MS);
    page.setDefaultNavigationTimeout(STEP_MS);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (profile) rmSync(profile, { recursive: true, force: true });
    await node?.stop();
    fx?.cleanup();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, timeout: STEP_MS });

  it('signs in and shows the dashboard', async () => {
    await page.goto(`${node.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await shot('01-sign-in');
    await page.fill('input[name=username]', 'auditor1');
    await page.fill('input[name=password]', 'wrong password here');
    await page.click('button[type=submit]');
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('Wrong username or password');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${node.url}/console/dashboard`);
    expect(await page.locator('h1').textContent()).toBe('Dashboard');
    expect(await page.locator('main').textContent()).toContain('signal-sharing');
    await shot('02-dashboard');
  });

  it('looks up a subject and opens its decision', async () => {
    await page.click('header a[href="/console/subjects"]');
    await page.fill('input[name=id]', SUBJECT);
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/console\/subjects\/[A-Za-z0-9_-]{43}$/);
    expect(page.url()).not.toContain(SUBJECT);
    await shot('03-subject');
    await page.click(`a[href="/console/decisions/${decisionId}"]`);
    await page.waitForURL(`${node.url}/console/decisions/${decisionId}`);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Reasons');
    expect(main).toContain('Evidence');
    await shot('04-decision');
  });

  it('searches consents and opens a signed receipt', async () => {
    await page.click('header a[href="/console/consents"]');
    await page.selectOption('select[name=state]', 'given');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/console\/consents\?/);
    await shot('05-consents');
    await page.click('main table a[href^="/console/consents/cns_"] >> nth=0');
    await page.waitForURL(/\/console\/consents\/cns_/);
    expect(await page.locator('main').textContent()).toContain('separate consent (art. 23): yes');
    await shot('06-consent-receipt');
  });

  it('verifies an audit entry (checkpoint signature and inclusion proof)', async () => {
    await page.goto(`${node.url}/console/audit`);
    expect(await page.locator('main').textContent()).toContain('officer.login');
    await shot('07-audit-log');
    await page.click('main table a >> nth=0');
    await page.waitForURL(/\/console\/audit\/\d+$/);
    expect(await page.locator('#verdict').textContent()).toContain('Verified: the checkpoint is signed by the audit log key');
    await shot('08-audit-entry');
  });

  it('shows the credit reports with charts', async () => {
    await page.goto(`${node.url}/console/reports/credit`);
    expect(await page.locator('svg.chart').count()).toBeGreaterThan(0);
    await shot('09-credit-reports');
  });

  it('signs out; the session no longer opens pages', async () => {
    await page.goto(`${node.url}/console/dashboard`);
    await page.click('header button[type=submit]');
    await page.waitForURL(`${node.url}/console/login?out=1`);
    await page.goto(`${node.url}/console/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });
});
