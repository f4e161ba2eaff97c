/** Signals: bands, catalogue, body, signing, log entries, verification (docs/protocol.md §3-4). */
export * from './bands';
export * from './catalogue';
export * from './time';
export * from './body';
export * from './sign';
export * from './entry';
export * from './verify';
export * from './prepare';
export * from './build';
