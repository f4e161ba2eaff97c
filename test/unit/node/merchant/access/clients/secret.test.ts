import { describe, expect, it } from 'vitest';
import { CLIENT_ID_PATTERN, createSecretHasher, newClientId, newClientSecret, SECRET_PATTERN } from '../../../../../../node/merchant/access/clients/secret';

describe('client secrets', () => {
  const random = (n: number) => new Uint8Array(n).map((_, i) => (i * 37 + 11) % 256);

  it('generates ids and 256-bit secrets in their documented shapes', () => {
    expect(newClientId(random)).toMatch(CLIENT_ID_PATTERN);
    const secret = newClientSecret(random);
    expect(secret).toMatch(SECRET_PATTERN);
    expect(Buffer.from(secret.slice(4), 'base64url')).toHaveLength(32);
  });

  it('verifies only the right secret under the right storage key', () => {
    const h = createSecretHasher(new Uint8Array(32).fill(1));
    const secret = newClientSecret(random);
    const stored = h.hash(secret);
    expect(stored).toHaveLength(32);
    expect(h.verify(secret, stored)).toBe(true);
    expect(h.verify(`${secret.slice(0, -1)}A`, stored)).toBe(secret.endsWith('A'));
    expect(h.verify(secret, stored.subarray(0, 31))).toBe(false);
    expect(createSecretHasher(new Uint8Array(32).fill(2)).verify(secret, stored)).toBe(false);
    expect(() => createSecretHasher(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});
