import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { buildSignalBody, newSignalId, consentRef } from '../../../../protocol/signals/build';
import { ProtocolError } from '../../../../protocol/errors';

const subject = { kid: 'ck-2026-01', value: 'c4PZ5RBii1QkcPCP1iovnNBjrGkjw3nJBzKB_6iHKjI' };

describe('signal building helpers', () => {
  it('derives ids from injected randomness and consent references from JCS', () => {
    expect(newSignalId((n) => new Uint8Array(n).fill(255))).toBe('_____________________w');
    const record = { purpose: 'credit-sharing', id: 'c-1' };
    const want = createHash('sha256').update('{"id":"c-1","purpose":"credit-sharing"}').digest('hex');
    expect(consentRef(record)).toBe(`sha256:${want}`);
    expect(() => newSignalId(() => new Uint8Array(3))).toThrow(ProtocolError);
  });

  it('fills expiresAt with the type bound and validates', () => {
    const base = { id: 'sig-0000000000000009', issuer: 'acme', subject, consent: `sha256:${'0'.repeat(64)}` };
    const overdue = buildSignalBody({
      ...base, type: 'repayment.overdue', issuedAt: new Date('2026-03-15T08:00:00.750Z'),
      data: { product: 'cash_loan', bucket: 'M1', amountBand: 'lt1k', asOf: '2026-02' },
    });
    expect(overdue.issuedAt).toBe('2026-03-15T08:00:00Z');
    expect(overdue.expiresAt).toBe('2031-03-01T00:00:00Z');
    const retract = buildSignalBody({
      ...base, type: 'signal.retracted', issuedAt: new Date('2026-03-15T08:00:00Z'),
      data: { target: 'sig-0000000000000001', reason: 'error' },
    });
    expect(retract.expiresAt).toBe('2031-03-15T08:00:00Z');
    expect(() => buildSignalBody({
      ...base, type: 'grade.assigned', issuedAt: new Date('2026-03-15T08:00:00Z'), expiresAt: new Date('2030-01-01T00:00:00Z'),
      data: { grade: 'A', model: 'm1', asOf: '2026-03' },
    })).toThrow(/SIGNAL_TOO_LONG_LIVED/);
  });
});
