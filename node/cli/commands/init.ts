import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { memberIdSchema, type NodeFile } from '../../config/schema';
import { generateKeyFile, writeSecretFile } from '../../keys/keyfile';
import { describeMember, writeDescriptor } from '../../membership/descriptor';
import { UsageError, exitCodes, optionalInt, requireString, type Command } from '../command';

/** The files `init` writes; none may exist beforehand. */
export const nodeDirFiles = ['node.json', 'keys.json', 'admin-token', 'member.json'] as const;

/** Writes a new node directory; refuses to touch an existing node. Returns the absolute path. */
export async function initNodeDir(opts: { dir: string; memberId: string; baseUrl: string; name?: string; port?: number; host?: string }): Promise<string> {
  const dir = resolve(opts.dir);
  const id = memberIdSchema.safeParse(opts.memberId);
  if (!id.success) throw new UsageError(`--member ${id.error.issues[0]!.message}, got '${opts.memberId}'`);
  let url: URL;
  try {
    url = new URL(opts.baseUrl);
  } catch {
    throw new UsageError(`--url must be an absolute http(s) URL such as http://127.0.0.1:7401, got '${opts.baseUrl}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must use http or https, got '${url.protocol}'`);
  const existing = nodeDirFiles.filter((f) => existsSync(join(dir, f)));
  if (existing.length > 0) {
    throw new UsageError(`${dir} already holds a node (${existing.join(', ')}); nothing was changed. Choose another --dir, or remove it if you really mean to start over`);
  }
  const port = opts.port ?? (url.port ? Number(url.port) : 7400);
  const nodeFile: NodeFile = {
    version: 1,
    memberId: opts.memberId,
    baseUrl: url.origin + url.pathname.replace(/\/+$/, ''),
    http: { host: opts.host ?? '127.0.0.1', port, bodyLimitBytes: 1024 * 1024 },
    database: { url: null },
    log: { level: 'info' },
  };
  const keys = await generateKeyFile();
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  try {
    writeSecretFile(join(dir, 'keys.json'), `${JSON.stringify(keys, null, 2)}\n`);
    written.push('keys.json');
    writeSecretFile(join(dir, 'admin-token'), `${randomBytes(32).toString('base64url')}\n`);
    written.push('admin-token');
    writeDescriptor(dir, describeMember({ id: opts.memberId, name: opts.name ?? opts.memberId, baseUrl: nodeFile.baseUrl, keys }));
    written.push('member.json');
    writeFileSync(join(dir, 'node.json'), `${JSON.stringify(nodeFile, null, 2)}\n`, { flag: 'wx' });
  } catch (err) {
    for (const f of written) rmSync(join(dir, f), { force: true });
    if (created) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Create a node directory: node.json, keys.json (0600), admin-token (0600) and member.json (public descriptor).',
  usage: 'init --dir DIR --member ID --url BASE_URL [--name NAME] [--port N] [--host H]',
  details: [
    '--dir DIR       the node directory to create (must not already hold a node)',
    '--member ID     this member\'s id in the consortium (a-z, 0-9, "-")',
    '--url BASE_URL  the URL peers and partners use to reach this node, e.g. https://credit.example.com',
    '--name NAME     the member\'s display name in the roster (default: ID)',
    '--port N        port to listen on (default: the port in BASE_URL, else 7400)',
    '--host H        address to listen on (default 127.0.0.1)',
  ],
  options: { dir: { type: 'string' }, member: { type: 'string' }, url: { type: 'string' }, name: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
  async run({ values }, io) {
    const dir = await initNodeDir({
      dir: requireString(values, 'dir', 'where to create the node directory'),
      memberId: requireString(values, 'member', 'this member\'s id, e.g. --member shop-a'),
      baseUrl: requireString(values, 'url', 'the URL this node is reached at, e.g. --url http://127.0.0.1:7401'),
      port: optionalInt(values, 'port', 0, 65535),
      host: typeof values.host === 'string' ? values.host : undefined,
      name: typeof values.name === 'string' ? values.name : undefined,
    });
    io.out(`Created node directory ${dir}`);
    io.out(`  node.json    configuration (edit to change port, database, log level)`);
    io.out(`  keys.json    node secrets (mode 0600, back it up, never share it)`);
    io.out(`  admin-token  bearer token for /admin/v1 (mode 0600)`);
    io.out(`  member.json  public descriptor: send it to the governance operator (consortium add-member)`);
    io.out(`Start it with: consortium-node start --dir ${values.dir as string}`);
    return exitCodes.ok;
  },
};
