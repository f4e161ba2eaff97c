import { openDatabase } from '../../../../node/store/database';
import { describeExternalStoreContract } from './store-contract';

describeExternalStoreContract('PGlite (in memory)', async () => {
  const database = await openDatabase({ url: null });
  return { database, dispose: () => database.close() };
});
