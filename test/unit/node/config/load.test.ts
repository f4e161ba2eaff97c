import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../node/config/errors';
import { loadConfig } from '../../../../node/config/load';
import { tempNode } from '../../../support/node-dir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function node() {
  const n = await tempNode();
  cleanups.push(n.cleanup);
  return n.dir;
}

describe('loadConfig', () => {
  it('reads node.json and applies environment, then command-line overrides', async () => {
    const dir = await node();
    expect(loadConfig(dir, {})).toMatchObject({ memberId: 'member-t', databaseUrl: null, logLevel: 'info', http: { host: '127.0.0.1', port: 0 } });
    const env = { PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u@db:5432/x', LOG_LEVEL: 'debug' };
    expect(loadConfig(dir, env)).toMatchObject({ databaseUrl: env.DATABASE_URL, logLevel: 'debug', http: { host: '0.0.0.0', port: 8080 } });
    expect(loadConfig(dir, env, { port: 9090, logLevel: 'warn' })).toMatchObject({ logLevel: 'warn', http: { port: 9090 } });
  });

  it.each([
    ['PORT not a number', { PORT: 'eighty' }, 'PORT (environment)'],
    ['PORT out of range', { PORT: '70000' }, 'PORT (environment)'],
    ['DATABASE_URL not a URL', { DATABASE_URL: 'localhost:5432' }, 'DATABASE_URL (environment)'],
    ['DATABASE_URL wrong scheme', { DATABASE_URL: 'mysql://h/db' }, 'DATABASE_URL (environment)'],
    ['LOG_LEVEL unknown', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL (environment)'],
  ])('names the setting when %s', async (_name, env, setting) => {
    const dir = await node();
    try {
      loadConfig(dir, env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).setting).toBe(setting);
    }
  });

  it.each([
    ['not JSON', '{', 'node.json', /not valid JSON/],
    ['a bad member id', JSON.stringify({ version: 1, memberId: 'Bad Id', baseUrl: 'http://x' }), 'node.json memberId', /a-z/],
    ['an unknown key', JSON.stringify({ version: 1, memberId: 'ok-id', baseUrl: 'http://x', colour: 'red' }), 'node.json (top level)', /colour/],
    ['a bad port', JSON.stringify({ version: 1, memberId: 'ok-id', baseUrl: 'http://x', http: { port: -1 } }), 'node.json http.port', /./],
  ])('rejects node.json with %s', async (_name, text, setting, message) => {
    const dir = await node();
    writeFileSync(join(dir, 'node.json'), text);
    expect(() => loadConfig(dir, {})).toThrow(ConfigError);
    try {
      loadConfig(dir, {});
    } catch (err) {
      expect((err as ConfigError).setting).toContain(setting.split(' ')[0]!);
      expect((err as ConfigError).message).toMatch(message);
    }
  });

  it('explains a directory that is not a node', () => {
    expect(() => loadConfig('/nonexistent/dir', {})).toThrow(/not a node directory.*consortium-node init/);
  });
});
