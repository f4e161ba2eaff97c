/** The node's whole drizzle schema; drizzle-kit generates migrations from it (`npm run db:generate`). */
export * from './meta';
export * from './subjects';
export * from './network';
export * from './external';
export * from './records';
export * from './decisions';
export * from './officers';
export * from './merchant-access';
export * from './audit';
export * from './compliance';
export * from './merchant-ledger';
