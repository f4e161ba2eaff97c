import { z } from 'zod';

/** Member ids: lower-case letters, digits and dashes; they appear in log origins and URLs. */
export const memberIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 characters of a-z, 0-9 and "-", starting with a letter or digit');

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The on-disk `node.json` (written by `init`, edited by the operator). */
export const nodeFileSchema = z
  .object({
    version: z.literal(1),
    memberId: memberIdSchema,
    baseUrl: z.url({ protocol: /^https?$/ }),
    http: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(7400),
        bodyLimitBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 7400, bodyLimitBytes: 1024 * 1024 }),
    database: z
      .object({ url: z.string().nullable().default(null) })
      .strict()
      .default({ url: null }),
    log: z
      .object({ level: z.enum(logLevels).default('info') })
      .strict()
      .default({ level: 'info' }),
    /** External score providers; validated by adapters/external's schema when the node starts. */
    externalScores: z.unknown().optional(),
  })
  .strict();

export type NodeFile = z.infer<typeof nodeFileSchema>;

/** The validated configuration a node runs with: node.json, then environment, then command-line overrides. */
export interface NodeConfig {
  /** The node directory (holds node.json, keys.json, admin-token, pgdata/). */
  dir: string;
  memberId: string;
  baseUrl: string;
  http: { host: string; port: number; bodyLimitBytes: number };
  /** `postgres://...` for PostgreSQL; null means embedded PGlite under `pgdataDir`. */
  databaseUrl: string | null;
  pgdataDir: string;
  logLevel: (typeof logLevels)[number];
  /** The raw `externalScores` section of node.json (validated by the external-scores module). */
  externalScores: unknown;
}
