import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from './errors';
import { logLevels, nodeFileSchema, type NodeConfig, type NodeFile } from './schema';

/** Overrides given on the command line (`start --port ...`); they win over the environment. */
export interface ConfigOverrides {
  port?: number;
  host?: string;
  databaseUrl?: string;
  logLevel?: string;
}

/** Reads and validates `DIR/node.json`, without applying overrides. */
export function readNodeFile(dir: string): NodeFile {
  const path = join(dir, 'node.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError('--dir', `${resolve(dir)} is not a node directory (no node.json). Create one with: consortium-node init --dir ${dir} --member ID --url BASE_URL`);
    }
    throw new ConfigError(path, `cannot be read (${code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, `is not valid JSON (${(err as Error).message})`);
  }
  const parsed = nodeFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new ConfigError(`node.json ${where}`, issue.message);
  }
  return parsed.data;
}

function parsePort(setting: string, raw: string | number): number {
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(setting, `must be an integer port between 0 and 65535, got '${raw}'`);
  }
  return n;
}

function parseDatabaseUrl(setting: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(setting, 'must be a URL like postgres://user:password@host:5432/db');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(setting, `must use the postgres:// scheme, got '${url.protocol}'`);
  }
  return raw;
}

function parseLogLevel(setting: string, raw: string): NodeConfig['logLevel'] {
  if (!(logLevels as readonly string[]).includes(raw)) {
    throw new ConfigError(setting, `must be one of ${logLevels.join(', ')}, got '${raw}'`);
  }
  return raw as NodeConfig['logLevel'];
}

/**
 * Loads the node configuration once, at start: `node.json`, then the environment
 * (`PORT`, `HOST`, `DATABASE_URL`, `LOG_LEVEL`), then command-line overrides.
 * Throws {@link ConfigError} naming the setting on the first bad value.
 */
export function loadConfig(dir: string, env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): NodeConfig {
  const file = readNodeFile(dir);
  const cfg: NodeConfig = {
    dir: resolve(dir),
    memberId: file.memberId,
    baseUrl: file.baseUrl.replace(/\/+$/, ''),
    http: { ...file.http },
    databaseUrl: file.database.url ? parseDatabaseUrl('node.json database.url', file.database.url) : null,
    pgdataDir: join(resolve(dir), 'pgdata'),
    logLevel: file.log.level,
    externalScores: file.externalScores,
  };
  if (env.PORT !== undefined && env.PORT !== '') cfg.http.port = parsePort('PORT (environment)', env.PORT);
  if (env.HOST !== undefined && env.HOST !== '') cfg.http.host = env.HOST;
  if (env.DATABASE_URL !== undefined && env.DATABASE_URL !== '') cfg.databaseUrl = parseDatabaseUrl('DATABASE_URL (environment)', env.DATABASE_URL);
  if (env.LOG_LEVEL !== undefined && env.LOG_LEVEL !== '') cfg.logLevel = parseLogLevel('LOG_LEVEL (environment)', env.LOG_LEVEL);
  if (overrides.port !== undefined) cfg.http.port = parsePort('--port', overrides.port);
  if (overrides.host !== undefined) cfg.http.host = overrides.host;
  if (overrides.databaseUrl !== undefined) cfg.databaseUrl = parseDatabaseUrl('--database-url', overrides.databaseUrl);
  if (overrides.logLevel !== undefined) cfg.logLevel = parseLogLevel('--log-level', overrides.logLevel);
  return cfg;
}
