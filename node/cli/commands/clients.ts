import { MERCHANT_SCOPES, type MerchantScope } from '../../merchant/contracts';
import { openClientAdminChannel } from '../../merchant/access/clients/admin-channel';
import type { ClientView } from '../../merchant/access/clients/service';
import { withLocalChannel, localChannelOptions } from '../local-channel';
import { UsageError, exitCodes, optionalInt, requireString, type Command } from '../command';

const common = localChannelOptions;
const commonDetails = [
  '--dir DIR             the node directory',
  '--database-url URL    PostgreSQL URL (overrides DATABASE_URL); default is the embedded PGlite in DIR/pgdata',
  'When the node is running, the command goes through its admin API (the embedded database is held by the node);',
  'otherwise it opens the database directly.',
];


const line = (c: ClientView) => `${c.id}  ${c.status.padEnd(7)}  ${c.scopes.join(',').padEnd(33)}  ${c.name}`;

/** `consortium-node clients create`: registers a partner merchant (OAuth2 client); the secret is printed once. */
export const clientsCreateCommand: Command = {
  name: 'clients create',
  summary: 'Register a partner merchant as an OAuth2 client; prints its client id and secret (shown once).',
  usage: 'clients create --dir DIR --name NAME --scopes limits:read,authorizations:write [--rate-per-second N] [--burst N] [--daily-quota N]',
  details: [
    '--name NAME           the merchant\'s name',
    `--scopes LIST         comma-separated: ${MERCHANT_SCOPES.join(', ')}`,
    '--rate-per-second N   sustained requests per second (default 50)',
    '--burst N             burst size (default 100)',
    '--daily-quota N       requests per UTC day (default 200000)',
    ...commonDetails,
  ],
  options: { ...common, name: { type: 'string' }, scopes: { type: 'string' }, 'rate-per-second': { type: 'string' }, burst: { type: 'string' }, 'daily-quota': { type: 'string' } },
  async run({ values }, io) {
    const name = requireString(values, 'name', 'the merchant\'s name').trim().slice(0, 120);
    const scopes = requireString(values, 'scopes', MERCHANT_SCOPES.join(',')).split(',').map((s) => s.trim());
    const bad = scopes.filter((s) => !(MERCHANT_SCOPES as readonly string[]).includes(s));
    if (bad.length > 0) throw new UsageError(`unknown scope(s) ${bad.join(', ')}; use ${MERCHANT_SCOPES.join(', ')}`);
    const perSecond = optionalInt(values, 'rate-per-second', 1, 10_000);
    const burst = optionalInt(values, 'burst', 1, 100_000);
    const dailyQuota = optionalInt(values, 'daily-quota', 1, 100_000_000);
    const rateLimit = { ...(perSecond ? { perSecond } : {}), ...(burst ? { burst } : {}), ...(dailyQuota ? { dailyQuota } : {}) };
    return withLocalChannel(values, io, 'clients create', (config) => openClientAdminChannel(config), async (ch) => {
      const r = await ch.create({ name, scopes: scopes as MerchantScope[], ...(Object.keys(rateLimit).length ? { rateLimit } : {}) });
      io.out(`client_id:     ${r.client.id}`);
      io.out(`client_secret: ${r.clientSecret}`);
      io.out(`scopes:        ${r.client.scopes.join(' ')}`);
      io.out('The secret is shown only now: hand it to the merchant over a secure channel. Rotate it with `clients rotate`.');
      return exitCodes.ok;
    });
  },
};

/** `consortium-node clients list`. */
export const clientsListCommand: Command = {
  name: 'clients list',
  summary: 'List the registered partner merchants (never their secrets).',
  usage: 'clients list --dir DIR',
  details: commonDetails,
  options: common,
  async run({ values }, io) {
    return withLocalChannel(values, io, 'clients list', (config) => openClientAdminChannel(config), async (ch) => {
      const clients = await ch.list();
      if (clients.length === 0) io.out('No clients registered.');
      for (const c of clients) io.out(line(c));
      return exitCodes.ok;
    });
  },
};

/** `consortium-node clients rotate`. */
export const clientsRotateCommand: Command = {
  name: 'clients rotate',
  summary: 'Replace a partner merchant\'s client secret; prints the new secret (shown once).',
  usage: 'clients rotate --dir DIR --id CLIENT_ID',
  details: ['--id CLIENT_ID        the client (mch_...)', ...commonDetails],
  options: { ...common, id: { type: 'string' } },
  async run({ values }, io) {
    const id = requireString(values, 'id', 'the client id, mch_...');
    return withLocalChannel(values, io, 'clients rotate', (config) => openClientAdminChannel(config), async (ch) => {
      const r = await ch.rotate(id);
      if (!r.ok) {
        io.err(`consortium-node clients rotate: ${r.code}: ${r.message}`);
        return exitCodes.failure;
      }
      io.out(`client_id:     ${r.client.id}`);
      io.out(`client_secret: ${r.clientSecret}`);
      io.out('The old secret no longer works. The new one is shown only now.');
      return exitCodes.ok;
    });
  },
};

/** `consortium-node clients revoke`. */
export const clientsRevokeCommand: Command = {
  name: 'clients revoke',
  summary: 'Revoke a partner merchant: no new tokens, and its access tokens stop working.',
  usage: 'clients revoke --dir DIR --id CLIENT_ID',
  details: ['--id CLIENT_ID        the client (mch_...)', ...commonDetails],
  options: { ...common, id: { type: 'string' } },
  async run({ values }, io) {
    const id = requireString(values, 'id', 'the client id, mch_...');
    return withLocalChannel(values, io, 'clients revoke', (config) => openClientAdminChannel(config), async (ch) => {
      const r = await ch.revoke(id);
      if (!r.ok) {
        io.err(`consortium-node clients revoke: ${r.code}: ${r.message}`);
        return exitCodes.failure;
      }
      io.out(`Revoked ${r.client.id} at ${r.client.revokedAt}.`);
      return exitCodes.ok;
    });
  },
};

/** The `clients` verbs. */
export const clientsCommands: Command[] = [clientsCreateCommand, clientsListCommand, clientsRotateCommand, clientsRevokeCommand];
