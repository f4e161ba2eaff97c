import { openDatabase } from '../../../../node/store/database';
import { describeStorageContract } from './contract';

describeStorageContract('PGlite (in memory)', async () => {
  const database = await openDatabase({ url: null });
  return { database, dispose: () => database.close() };
});
