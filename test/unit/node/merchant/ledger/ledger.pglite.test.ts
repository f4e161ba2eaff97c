import { describeLedgerContract } from './ledger-contract';
import { migratedPglite } from '../../../../support/pglite';

describeLedgerContract('PGlite', async () => {
  const database = await migratedPglite();
  return { database, dispose: () => database.close() };
});
