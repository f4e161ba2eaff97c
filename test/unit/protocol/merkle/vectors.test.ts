import { describe, it, expect } from 'vitest';
import { verifyInclusion, verifyConsistency } from '../../../../protocol/merkle/verify';
import { inclusionVectors, consistencyVectors } from '../../../fixtures/protocol/vectors';

describe('transparency-dev RFC 6962 vectors', () => {
  const inc = inclusionVectors();
  const con = consistencyVectors();
  it('finds the vectors', () => {
    expect(inc.length).toBeGreaterThan(50);
    expect(con.length).toBeGreaterThan(50);
  });
  it.each(inc.map((v) => [v.name, v] as const))('inclusion %s', (_n, v) => {
    expect(verifyInclusion(v.leafHash, v.leafIdx, v.treeSize, v.proof, v.root)).toBe(!v.wantErr);
  });
  it.each(con.map((v) => [v.name, v] as const))('consistency %s', (_n, v) => {
    expect(verifyConsistency(v.size1, v.size2, v.proof, v.root1, v.root2)).toBe(!v.wantErr);
  });
});
