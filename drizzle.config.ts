import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema with `npm run db:generate` and applied by the node at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './node/store/schema/index.ts',
  out: './node/store/migrations',
});
