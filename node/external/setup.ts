/**
 * Reads the `externalScores` section of node.json once at start (issue 6 §7) and builds the provider
 * adapters and their public keys. Shared by the node module and the `providers` CLI verbs.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import {
  createProviders,
  ExternalScoresConfigError,
  loadProviderPublicKeys,
  parseExternalScoresConfig,
  type ExternalScoresConfig,
  type ProviderEntry,
  type ProviderPublicKeys,
} from '../../adapters/external/index';
import { ConfigError } from '../config/errors';

/** Everything built from the configuration. */
export interface ExternalScoresSetup {
  config: ExternalScoresConfig;
  providers: ProviderEntry[];
  /** Provider public keys by provider name, for re-verifying stored provenance. */
  publicKeys: Record<string, ProviderPublicKeys>;
}

/** What building needs: the node directory (key files are relative to it) and the I/O. */
export interface SetupDeps {
  dir: string;
  now: () => Date;
  random: (n: number) => Uint8Array;
  fetch?: typeof fetch;
  /** Reads a key file by absolute path; defaults to the file system. */
  readFile?: (path: string) => Promise<string>;
}

/** Turns the adapters' error into the node's start-up error naming the first bad setting. */
function toConfigError(err: ExternalScoresConfigError): ConfigError {
  const first = err.issues[0] ?? 'externalScores: invalid';
  const at = first.indexOf(': ');
  const setting = (at > 0 ? first.slice(0, at) : 'externalScores').replace(/\.$/, '');
  const rest = [at > 0 ? first.slice(at + 2) : first, ...err.issues.slice(1)];
  return new ConfigError(`node.json ${setting}`, rest.join('; '));
}

/** Validates the raw section (absent means no providers); throws ConfigError naming the setting. */
export function parseExternalScoresSection(raw: unknown): ExternalScoresConfig {
  try {
    return parseExternalScoresConfig(raw ?? {});
  } catch (err) {
    if (err instanceof ExternalScoresConfigError) throw toConfigError(err);
    throw err;
  }
}

/** Validates the section and builds every provider; unreadable or unusable keys are ConfigErrors too. */
export async function setupExternalScores(raw: unknown, deps: SetupDeps): Promise<ExternalScoresSetup> {
  const config = parseExternalScoresSection(raw);
  const read = deps.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  const readFile = (p: string) => read(isAbsolute(p) ? p : resolve(deps.dir, p));
  try {
    const providers = await createProviders(config, { readFile, now: deps.now, random: deps.random, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    const publicKeys = await loadProviderPublicKeys(config, readFile);
    return { config, providers, publicKeys };
  } catch (err) {
    if (err instanceof ExternalScoresConfigError) throw toConfigError(err);
    throw err;
  }
}
