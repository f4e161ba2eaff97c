/** The node's whole drizzle schema; drizzle-kit generates migrations from it (`npm run db:generate`). */
export * from './meta';
