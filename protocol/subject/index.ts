/** Subject identifiers, pseudonyms and consortium key sealing (docs/protocol.md §2). */
export * from './resident-id';
export * from './phone';
export * from './normalize';
export * from './pseudonym';
export * from './seal';
