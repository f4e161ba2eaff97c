import { describe, expect, it } from 'vitest';
import { FEATURE_CATALOGUE, FEATURE_COUNT } from '../../../../scoring/features/catalogue';
import { logit, sigmoid, substitutionRows, topFactors } from '../../../../scoring/explain/factors';
import { buildEvidence } from '../../../../scoring/explain/evidence';

describe('factors', () => {
  it('keeps the top N non-zero contributions by magnitude, ties by catalogue order', () => {
    const c = new Float64Array(FEATURE_COUNT);
    c[3] = 0.5; c[7] = -0.9; c[10] = 0.5; c[12] = 0.01;
    const f = topFactors(c, new Float32Array(FEATURE_COUNT), new Uint8Array(FEATURE_COUNT), 3);
    expect(f.map((x) => [x.feature, x.direction])).toEqual([
      [FEATURE_CATALOGUE[7]!.name, 'lowers_risk'], [FEATURE_CATALOGUE[3]!.name, 'raises_risk'], [FEATURE_CATALOGUE[10]!.name, 'raises_risk'],
    ]);
    expect(topFactors(new Float64Array(FEATURE_COUNT), new Float32Array(FEATURE_COUNT), new Uint8Array(FEATURE_COUNT), 5)).toEqual([]);
  });

  it('marks imputed values in the texts', () => {
    const c = new Float64Array(FEATURE_COUNT); c[22] = 0.3;
    const missing = new Uint8Array(FEATURE_COUNT); missing[22] = 1;
    const [f] = topFactors(c, new Float32Array(FEATURE_COUNT).fill(600), missing, 1);
    expect(f).toMatchObject({ feature: 'ext_sesame_score', missing: true, code: 'F_EXT_SESAME_SCORE' });
    expect(f!.en).toMatch(/missing, imputed 600/);
    expect(f!.zh).toMatch(/缺失/);
  });

  it('builds substitution rows: reference first, then one feature replaced per row', () => {
    const x = new Float32Array(FEATURE_COUNT).fill(-7);
    const out = new Float32Array((FEATURE_COUNT + 1) * FEATURE_COUNT);
    substitutionRows(x, out, 0);
    const ref = FEATURE_CATALOGUE.map((s) => Math.fround(s.reference));
    expect(Array.from(out.subarray(0, FEATURE_COUNT))).toEqual(ref);
    for (let r = 0; r < FEATURE_COUNT; r++) {
      const row = out.subarray((r + 1) * FEATURE_COUNT, (r + 2) * FEATURE_COUNT);
      row.forEach((v, j) => expect(v).toBe(j === r ? ref[j] : -7));
    }
  });

  it('logit and sigmoid are inverse and clamp extremes', () => {
    expect(sigmoid(logit(0.3))).toBeCloseTo(0.3, 12);
    expect(Number.isFinite(logit(0)) && Number.isFinite(logit(1))).toBe(true);
  });
});

describe('evidence', () => {
  it('passes external results through, with reasons for unavailable ones', () => {
    const e = buildEvidence([{ issuer: 'm2', logIndex: 4, type: 'credit.line' }], [], {
      sesameScore: { status: 'ok', value: null, provider: 'zhima', queriedAt: '2026-10-01T00:00:00Z', reference: 'q1' },
      sesameAdmittance: { status: 'unavailable', provider: 'zhima', reason: 'provider_unavailable' },
      wechatPayScore: { status: 'ok', value: true, provider: 'wechat', queriedAt: '2026-10-01T00:00:00Z', reference: 'q2' },
    });
    expect(e.signals).toEqual([{ issuer: 'm2', logIndex: 4, type: 'credit.line' }]);
    expect(e.external).toEqual([
      { source: 'sesameScore', provider: 'zhima', status: 'ok', reference: 'q1', queriedAt: '2026-10-01T00:00:00Z', value: null },
      { source: 'sesameAdmittance', provider: 'zhima', status: 'unavailable', reason: 'provider_unavailable' },
      { source: 'wechatPayScore', provider: 'wechat', status: 'ok', reference: 'q2', queriedAt: '2026-10-01T00:00:00Z', value: true },
    ]);
  });
});
