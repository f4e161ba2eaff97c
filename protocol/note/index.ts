/** C2SP signed notes, checkpoints and cosignatures (docs/protocol.md §6). */
export * from './keys';
export * from './note';
export * from './checkpoint';
export * from './proof';
export * from './witness';
