import { describe, inject } from 'vitest';
import { freshPostgres } from '../../../../support/databases';
import { describeAccessStorage } from './storage-contract';

const adminUrl = inject('postgresUrl');

describe.skipIf(!adminUrl)('PostgreSQL (TEST_DATABASE_URL or a local throw-away cluster)', () => {
  describeAccessStorage('PostgreSQL', freshPostgres(adminUrl));
});
