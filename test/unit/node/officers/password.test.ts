import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from '../../../../node/officers/password';

const fast = { logN: 10, r: 8, p: 1 };
const salt = new Uint8Array(16).fill(7);

describe('officer password hashing (scrypt)', () => {
  it('verifies the right password and refuses others', async () => {
    const h = await hashPassword('correct horse battery', salt, fast);
    expect(h).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('uses the salt: same password, different salts, different hashes', async () => {
    const a = await hashPassword('correct horse battery', salt, fast);
    const b = await hashPassword('correct horse battery', new Uint8Array(16).fill(8), fast);
    expect(a).not.toBe(b);
  });

  it.each([
    ['garbage', 'not-a-hash'],
    ['wrong scheme', 'bcrypt$10$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['absurd cost', 'scrypt$40$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('never matches a malformed stored hash (%s)', async (_name, stored) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false);
  });

  it('asks for a rehash when the stored parameters are weaker than the current ones', async () => {
    const h = await hashPassword('correct horse battery', salt, fast);
    expect(needsRehash(h, fast)).toBe(false);
    expect(needsRehash(h, { logN: 17, r: 8, p: 1 })).toBe(true);
  });

  it.each([
    ['short', 'short', /at least 12/],
    ['control characters', 'abcdefghijkl\u0000', /control/],
    ['too long', 'x'.repeat(2000), /limited/],
    ['acceptable', 'a long enough passphrase', null],
  ])('judges new passwords: %s', (_name, pw, want) => {
    const got = passwordProblem(pw);
    if (want === null) expect(got).toBeNull();
    else expect(got).toMatch(want);
  });
});
