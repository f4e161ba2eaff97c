import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newWebhookSecret, signWebhook, verifyWebhook } from '../../../../../node/merchant/webhooks/signing';

describe('webhook signatures (Standard Webhooks)', () => {
  it('matches the published Standard Webhooks test vector', () => {
    expect(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies what it signs and nothing else', () => {
    const secret = newWebhookSecret(() => new Uint8Array(24).fill(9));
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (payload, other) => {
        const signature = signWebhook(secret, 'wd_1', 1_800_000_000, payload);
        const headers = { id: 'wd_1', timestamp: '1800000000', signature: `v1,AAAA ${signature}` };
        expect(verifyWebhook(secret, headers, payload, 1_800_000_010)).toBe(true);
        expect(verifyWebhook(secret, headers, payload + other, 1_800_000_010)).toBe(false);
        expect(verifyWebhook(secret, { ...headers, id: 'wd_2' }, payload, 1_800_000_010)).toBe(false);
        expect(verifyWebhook(newWebhookSecret(() => new Uint8Array(24).fill(1)), headers, payload, 1_800_000_010)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses timestamps outside the tolerance and malformed headers', () => {
    const secret = newWebhookSecret(() => new Uint8Array(24).fill(3));
    const signature = signWebhook(secret, 'wd_1', 1000, 'x');
    expect(verifyWebhook(secret, { id: 'wd_1', timestamp: '1000', signature }, 'x', 1301)).toBe(false);
    expect(verifyWebhook(secret, { id: 'wd_1', timestamp: '1000', signature }, 'x', 1300)).toBe(true);
    expect(verifyWebhook(secret, { id: 'wd_1', timestamp: '1e3', signature }, 'x', 1000)).toBe(false);
    expect(verifyWebhook(secret, { id: 'wd_1', timestamp: '1000', signature: signature.replace('v1,', 'v2,') }, 'x', 1000)).toBe(false);
  });
});
