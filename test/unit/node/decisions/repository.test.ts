import { openDatabase } from '../../../../node/store/database';
import { describeDecisionRepositoryContract } from './repository-contract';

describeDecisionRepositoryContract('PGlite (in memory)', async () => {
  const database = await openDatabase({ url: null });
  return { database, dispose: () => database.close() };
});
