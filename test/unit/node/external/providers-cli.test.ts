import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandArgs, UsageError, type CliIo, type Command } from '../../../../node/cli/command';
import { providersListCommand, providersTestCommand } from '../../../../node/cli/commands/providers';
import { ConfigError } from '../../../../node/config/errors';
import { startMockGateway, type RunningMockGateway } from '../../../../node/external/mock/index';
import { tempNode } from '../../../support/node-dir';
import { mockKeys } from './support';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, stopSignal: new Promise(() => undefined), isTTY: false };
  return { io: value, out, err };
}

async function run(cmd: Command, argv: string[]) {
  const parsed = parseCommandArgs(cmd, argv);
  const o = io();
  const code = await cmd.run(parsed, o.io);
  return { code, out: o.out.join('\n'), err: o.err.join('\n') };
}

describe('consortium-node providers list / test', () => {
  let mock: RunningMockGateway;
  let node: Awaited<ReturnType<typeof tempNode>>;
  const setSection = (externalScores: unknown) => {
    const file = join(node.dir, 'node.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...json, externalScores }, null, 2));
  };
  /** The mock's configuration with the Alipay app key in a file relative to the node directory. */
  const section = (appKeyPem = mockKeys().app.privatePem) => {
    mkdirSync(join(node.dir, 'keys'), { recursive: true });
    writeFileSync(join(node.dir, 'keys', 'alipay-app.pem'), appKeyPem, { mode: 0o600 });
    return { providers: mock.config.providers!.map((p) => (p.type === 'zhima' ? { ...p, appPrivateKey: { file: 'keys/alipay-app.pem' } } : p)) };
  };

  beforeAll(async () => {
    mock = await startMockGateway({ keys: mockKeys() });
    node = await tempNode('member-cli');
  });
  afterAll(async () => {
    await mock.stop();
    node.cleanup();
  });

  it('lists the configured providers, or says none are configured', async () => {
    const none = await run(providersListCommand, ['--dir', node.dir]);
    expect(none).toMatchObject({ code: 0 });
    expect(none.out).toContain('no external score providers configured');
    setSection(section());
    const listed = await run(providersListCommand, ['--dir', node.dir]);
    expect(listed.code).toBe(0);
    const lines = listed.out.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^zhima\\s+zhima\\s+${mock.url}/gateway.do$`));
    expect(lines[2]).toMatch(/^payscore\s+wechatpay-score\s+http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each(['zhima', 'zhima-brief', 'payscore'])('checks %s against the mock', async (name) => {
    setSection(section());
    const r = await run(providersTestCommand, [name, '--dir', node.dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${name}: ok (signature_verified)`);
  });

  it('fails with the reason when the provider rejects our signature', async () => {
    setSection(section(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()));
    const r = await run(providersTestCommand, ['zhima', '--dir', node.dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('zhima: FAILED (request_signature_rejected)');
  });

  it('reports usage and configuration mistakes', async () => {
    setSection(section());
    await expect(run(providersTestCommand, ['nope', '--dir', node.dir])).rejects.toThrow(new UsageError("no provider named 'nope'; configured: zhima, zhima-brief, payscore"));
    await expect(run(providersTestCommand, ['zhima'])).rejects.toBeInstanceOf(UsageError);
    expect(() => parseCommandArgs(providersTestCommand, ['--dir', node.dir])).toThrow(UsageError);
    setSection({ providers: [{ type: 'zhima', name: 'zhima', appId: 'x' }] });
    const err = await run(providersListCommand, ['--dir', node.dir]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).setting).toBe('node.json externalScores.providers.0.appId');
  });
});
