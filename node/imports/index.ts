/**
 * The member data import module (issue 5; docs/mappings.md "Running an import"): storage of
 * standardized records, the import service, signal derivation and the `/admin/v1/imports` routes.
 */
import { join } from 'node:path';
import { importRoutes } from './routes';
import { createImportService, type ImportServiceDeps } from './service';

export { createImportService, type ImportService, type ImportServiceDeps, type ImportRequest, type ImportResult, type ImportRefusal, type ImportRunSummary, type ImportProgress, type ImportFile } from './service';
export { importRoutes, importView, DEFAULT_MAX_UPLOAD_BYTES, MAPPING_NAME, type ImportRoutesDeps } from './routes';
export { createDerivation, type DerivationSummary } from './derivation';
export { createRecordRepository, type RecordRepository } from './repository';

/** Where a node directory keeps mappings (`mappings/<name>.json`) and import work files (`imports/`). */
export const importPaths = (nodeDir: string) => ({ mappingsDir: join(nodeDir, 'mappings'), workDir: join(nodeDir, 'imports') });

/**
 * Builds the import module for the composition root: the service and its admin routes.
 * `nodeDir` locates `mappings/` and `imports/`; `maxUploadBytes` bounds one uploaded file.
 */
export function createImportsModule(deps: Omit<ImportServiceDeps, 'workDir'> & { adminToken: string; nodeDir: string; maxUploadBytes?: number }) {
  const paths = importPaths(deps.nodeDir);
  const service = createImportService({ ...deps, workDir: paths.workDir });
  const routes = importRoutes({
    adminToken: deps.adminToken, service, mappingsDir: paths.mappingsDir, spoolDir: join(paths.workDir, 'uploads'), random: deps.random,
    ...(deps.maxUploadBytes !== undefined ? { maxUploadBytes: deps.maxUploadBytes } : {}),
  });
  return { service, routes };
}
