/** The governance-signed member roster (docs/protocol.md §8). */
export * from './schema';
export * from './verify';
export * from './lookup';
