import { randomBytes } from 'node:crypto';
import { createExternalScoreService, createMemoryScoreCache, realSleep, type ProviderConfig } from '../../../adapters/external/index';
import { loadConfig } from '../../config/load';
import { setupExternalScores } from '../../external/setup';
import { UsageError, exitCodes, requireString, type Command } from '../command';

const random = (n: number) => new Uint8Array(randomBytes(n));

/** Where a provider sends its requests (for `providers list`). */
function endpointOf(p: ProviderConfig): string {
  return p.type === 'zhima' ? p.gatewayUrl : p.type === 'wechatpay-score' ? p.baseUrl : p.url;
}

/** Loads node.json and builds the providers (reading every key file), so both verbs validate the whole section. */
async function load(values: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const dir = requireString(values, 'dir', 'the node directory made by `consortium-node init`');
  const config = loadConfig(dir, env);
  return setupExternalScores(config.externalScores, { dir: config.dir, now: () => new Date(), random });
}

/** `providers list`: the configured external score providers (issue 6 §7). */
export const providersListCommand: Command = {
  name: 'providers list',
  summary: 'List the external score providers configured in node.json (checks the section and reads every key file).',
  usage: 'providers list --dir DIR',
  details: ['--dir DIR   the node directory made by `init`'],
  options: { dir: { type: 'string' } },
  async run({ values }, io) {
    const { config } = await load(values, io.env);
    if (config.providers.length === 0) {
      io.out('no external score providers configured (add an "externalScores" section to node.json; see docs/external-scores.md)');
      return exitCodes.ok;
    }
    const width = Math.max(...config.providers.map((p) => p.name.length));
    for (const p of config.providers) io.out(`${p.name.padEnd(width)}  ${p.type.padEnd(15)}  ${endpointOf(p)}`);
    return exitCodes.ok;
  },
};

/**
 * `providers test NAME`: checks one provider's credentials and keys against the provider (or the local
 * mock) without a subject: our request signature must be accepted and the answer's signature must verify.
 */
export const providersTestCommand: Command = {
  name: 'providers test',
  summary: 'Check a provider\'s configuration against the provider (or the local mock): request signature accepted, answer signature verified.',
  usage: 'providers test NAME --dir DIR',
  details: ['NAME        a provider name from node.json externalScores.providers', '--dir DIR   the node directory made by `init`'],
  options: { dir: { type: 'string' } },
  positionals: { min: 1, max: 1, name: 'NAME (the provider to test; see `providers list`)' },
  async run({ values, positionals }, io) {
    const name = positionals[0]!;
    const setup = await load(values, io.env);
    const names = setup.config.providers.map((p) => p.name);
    if (!names.includes(name)) {
      throw new UsageError(names.length ? `no provider named '${name}'; configured: ${names.join(', ')}` : `no provider named '${name}': no external score providers are configured in node.json`);
    }
    const service = createExternalScoreService({
      providers: setup.providers,
      // The probe sends no subject, so it needs no consent; these are never reached.
      checkConsent: async () => ({ ok: false, reason: 'probe only' }),
      cache: createMemoryScoreCache(1),
      provenanceStore: { save: async () => undefined },
      now: () => new Date(),
      random,
      sleep: realSleep,
    });
    const r = await service.testProvider(name);
    (r.ok ? io.out : io.err)(`${name}: ${r.ok ? 'ok' : 'FAILED'} (${r.code}) ${r.message}`);
    return r.ok ? exitCodes.ok : exitCodes.failure;
  },
};
