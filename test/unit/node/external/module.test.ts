/**
 * The external scores module on one in-memory PGlite database (opening PGlite is the slow part, so the
 * module, configuration and storage-contract cases share it).
 */
import { afterAll } from 'vitest';
import { describeConfigCases } from './config.cases';
import { describeModuleCases } from './module.cases';
import { describeExternalStoreContract } from './store-contract';
import { sharedFixture } from './support';

describeModuleCases();
describeConfigCases();
describeExternalStoreContract('PGlite (in memory)', async () => ({ database: (await sharedFixture()).database, dispose: async () => undefined }));
afterAll(async () => (await sharedFixture()).cleanup());
