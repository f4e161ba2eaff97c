import { beforeAll } from 'vitest';
import { migratedPglite } from '../../../../support/pglite';
import { describeAccessStorage } from './storage-contract';

// The migrated template is made once per worker; make it here, under the hook timeout, not in the first test.
beforeAll(async () => {
  await (await migratedPglite()).close();
});

describeAccessStorage('PGlite', async () => {
  const database = await migratedPglite();
  return { database, dispose: () => database.close() };
});
