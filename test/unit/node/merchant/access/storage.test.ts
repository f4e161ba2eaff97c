import { migratedPglite } from '../../../../support/pglite';
import { describeAccessStorage } from './storage-contract';

describeAccessStorage('PGlite', async () => {
  const database = await migratedPglite();
  return { database, dispose: () => database.close() };
});
