/** C2SP tlog-tiles: paths, tile contents, entry bundles (docs/protocol.md §7). */
export * from './path';
export * from './tile';
export * from './bundle';
