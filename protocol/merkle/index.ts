/** Merkle log math: RFC 6962 / RFC 9162 hashing, stored hashes, tree hashes, proofs (docs/protocol.md §5). */
export * from './hash';
export * from './stored';
export * from './tree';
export * from './prove';
export * from './verify';
export * from './memory';
export * from './frontier';
