import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../../node/store/database';
import { drivers } from '../audit/support';
import { officersFixture } from './fixture';

const PW = 'correct horse battery staple';

describe.each(drivers())('officer accounts and sessions on $name', ({ open }) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let fx: ReturnType<typeof officersFixture>;
  // One database per driver (opening one is the slow part); each case starts with no officers or sessions.
  beforeAll(async () => {
    ({ database, dispose } = await open());
  }, 120_000);
  afterAll(async () => dispose());
  beforeEach(async () => {
    await database.db.execute(sql`truncate officer_sessions, officers`);
    fx = officersFixture(database, { limits: { perUsername: 3, perAddress: 50 }, times: { ttlMs: 3600_000, idleMs: 600_000 } });
  });

  const signIn = (username: string, password: string, address = '192.0.2.1') => fx.mod.sessions.signIn({ username, password, address, kind: 'api' });

  it('creates an account (audited), refuses duplicates, bad names, roles and weak passwords', async () => {
    const ok = await fx.mod.accounts.create({ username: ' Alice ', role: 'auditor', password: PW, createdBy: 'cli' });
    expect(ok).toMatchObject({ ok: true, officer: { username: 'alice', role: 'auditor', disabledAt: null, createdBy: 'cli' } });
    expect(fx.audit.events.at(-1)).toMatchObject({ type: 'officer.access', actor: 'cli', detail: { action: 'officer-created', username: 'alice' } });
    const cases: [string, Parameters<typeof fx.mod.accounts.create>[0], string][] = [
      ['taken', { username: 'ALICE', role: 'viewer', password: PW, createdBy: 'admin' }, 'officer-username-taken'],
      ['bad name', { username: '<script>', role: 'viewer', password: PW, createdBy: 'admin' }, 'officer-username-invalid'],
      ['bad role', { username: 'bob', role: 'admin', password: PW, createdBy: 'admin' }, 'officer-role-invalid'],
      ['weak password', { username: 'bob', role: 'viewer', password: 'short', createdBy: 'admin' }, 'officer-password-weak'],
    ];
    for (const [, input, code] of cases) expect(await fx.mod.accounts.create(input)).toMatchObject({ ok: false, code });
    expect((await fx.mod.accounts.list()).map((o) => o.username)).toEqual(['alice']);
    expect(JSON.stringify(await fx.mod.accounts.list())).not.toContain('scrypt');
  });

  it('signs in, resolves the session, and signs out (revoked afterwards)', async () => {
    await fx.mod.accounts.create({ username: 'alice', role: 'viewer', password: PW, createdBy: 'cli' });
    const s = await signIn('alice', PW);
    if (!s.ok) throw new Error('sign-in failed');
    expect(s.officer).toMatchObject({ username: 'alice', role: 'viewer' });
    expect(await fx.mod.sessions.resolve(s.token)).toMatchObject({ ok: true, sessionId: s.sessionId });
    expect(fx.audit.events.at(-1)).toMatchObject({ type: 'officer.login', actor: 'officer:alice', detail: { sessionId: s.sessionId } });
    expect(JSON.stringify(fx.audit.events)).not.toContain(s.token);
    expect(await fx.mod.sessions.signOut(s.token)).toBe(true);
    expect(await fx.mod.sessions.resolve(s.token)).toEqual({ ok: false, code: 'officer-session-invalid' });
    // A day later the ended session is purged at the next sign-in; live ones stay.
    fx.clock.t += 86_400_000 + 1000;
    const next = await signIn('alice', PW);
    const rows = await database.db.execute(sql`select id from officer_sessions`);
    expect((rows as unknown as { rows: { id: string }[] }).rows.map((r) => r.id)).toEqual([next.ok ? next.sessionId : 'none']);
  });

  it('ends sessions at the idle timeout and at the absolute expiry', async () => {
    await fx.mod.accounts.create({ username: 'alice', role: 'viewer', password: PW, createdBy: 'cli' });
    const idle = await signIn('alice', PW);
    if (!idle.ok) throw new Error('sign-in failed');
    fx.clock.t += 600_000;
    expect(await fx.mod.sessions.resolve(idle.token)).toEqual({ ok: false, code: 'officer-session-expired' });

    const busy = await signIn('alice', PW);
    if (!busy.ok) throw new Error('sign-in failed');
    // Used every 5 minutes: the idle timer never fires, the absolute expiry (1 hour) does.
    const seen: boolean[] = [];
    for (let i = 0; i < 13; i++) {
      fx.clock.t += 5 * 60_000;
      seen.push((await fx.mod.sessions.resolve(busy.token)).ok);
    }
    expect(seen).toEqual([...Array(11).fill(true), false, false]);
    expect(await fx.mod.sessions.resolve(busy.token)).toEqual({ ok: false, code: 'officer-session-expired' });
  });

  it('answers unknown users exactly like wrong passwords, and rate-limits both', async () => {
    await fx.mod.accounts.create({ username: 'alice', role: 'viewer', password: PW, createdBy: 'cli' });
    const known = await signIn('alice', 'wrong password!!');
    const unknown = await signIn('mallory', 'wrong password!!');
    expect(known).toEqual(unknown);
    expect(known).toEqual({ ok: false, code: 'officer-login-failed' });
    await signIn('alice', 'wrong again!!!!');
    await signIn('alice', 'and again!!!!!!');
    // Paused now: even the right password is not checked.
    expect(await signIn('alice', PW)).toMatchObject({ ok: false, code: 'officer-login-rate-limited' });
    await signIn('mallory', 'x');
    await signIn('mallory', 'y');
    expect(await signIn('mallory', 'z')).toMatchObject({ ok: false, code: 'officer-login-rate-limited' });
    const failed = fx.audit.events.filter((e) => e.type === 'officer.login-failed');
    expect(failed.map((e) => e.detail?.reason)).toContain('rate-limited');
    expect(JSON.stringify(failed)).not.toContain('wrong password');
    fx.clock.t += 15 * 60_000;
    expect(await signIn('alice', PW)).toMatchObject({ ok: true });
  });

  it('counts concurrent wrong guesses before checking them: no burst gets past the limit', async () => {
    await fx.mod.accounts.create({ username: 'alice', role: 'viewer', password: PW, createdBy: 'cli' });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => signIn('alice', `wrong password ${i}!!`)));
    expect(results.filter((r) => !r.ok && r.code === 'officer-login-failed')).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.code === 'officer-login-rate-limited')).toHaveLength(5);
    expect(await signIn('alice', PW)).toMatchObject({ ok: false, code: 'officer-login-rate-limited' });
  });

  it('does not log a sign-in name that cannot be a username (a password typed into the wrong field)', async () => {
    expect(await signIn('Correct Horse Battery!', 'x')).toEqual({ ok: false, code: 'officer-login-failed' });
    expect(fx.audit.events.at(-1)).toMatchObject({ type: 'officer.login-failed', detail: { username: '(not a valid username)', reason: 'bad-credentials' } });
    expect(JSON.stringify(fx.audit.events)).not.toMatch(/horse/i);
    await signIn('mallory', 'x');
    expect(fx.audit.events.at(-1)).toMatchObject({ type: 'officer.login-failed', detail: { username: 'mallory' } });
  });

  it('disabling an account ends its sessions and its sign-ins look like wrong passwords', async () => {
    await fx.mod.accounts.create({ username: 'alice', role: 'auditor', password: PW, createdBy: 'cli' });
    const s = await signIn('alice', PW);
    if (!s.ok) throw new Error('sign-in failed');
    expect(await fx.mod.accounts.disable('alice', 'admin')).toMatchObject({ ok: true, changed: true });
    expect(await fx.mod.accounts.disable('alice', 'admin')).toMatchObject({ ok: true, changed: false });
    expect(await fx.mod.accounts.disable('nobody', 'admin')).toMatchObject({ ok: false, code: 'officer-not-found' });
    expect(await fx.mod.sessions.resolve(s.token)).toEqual({ ok: false, code: 'officer-session-invalid' });
    expect(await signIn('alice', PW)).toEqual({ ok: false, code: 'officer-login-failed' });
    expect(fx.audit.events.at(-1)?.detail?.reason).toBe('disabled');
  });

  it.each([['not a token'], ['cso_short'], [`cso_${'A'.repeat(43)}`]])('refuses malformed or unknown tokens (%s)', async (token) => {
    expect(await fx.mod.sessions.resolve(token)).toEqual({ ok: false, code: 'officer-session-invalid' });
  });
});
