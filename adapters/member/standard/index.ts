/** Consortium data standard v1 (docs/data-standard.md). */
export * from './codes';
export * from './primitives';
export * from './entities';
export * from './dictionary';
export * from './keys';
