import { describe, inject } from 'vitest';
import { openDatabase } from '../../../../node/store/database';
import { createTestDatabase } from '../../../support/databases';
import { describeDecisionRepositoryContract } from './repository-contract';

const adminUrl = inject('postgresUrl');

describe.skipIf(!adminUrl)('PostgreSQL (TEST_DATABASE_URL or a local throw-away cluster)', () => {
  describeDecisionRepositoryContract('PostgreSQL', async () => {
    const { url, drop } = await createTestDatabase(adminUrl);
    const database = await openDatabase({ url });
    return {
      database,
      dispose: async () => {
        await database.close();
        await drop();
      },
    };
  });
});
