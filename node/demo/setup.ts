import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeNode, type NodeRuntime } from '../compose';
import { loadConfig } from '../config/load';
import { addMember, createConsortium } from '../governance/operations';
import { joinConsortium } from '../membership/join';
import { listen, type RunningNode } from '../server';
import { initNodeDir } from '../cli/commands/init';
import { adminClient, type AdminClient } from './admin-client';

/** Display names of the demo members. */
export const DEMO_MEMBERS = [
  { id: 'shop-a', name: 'Aurora Mall' },
  { id: 'shop-b', name: 'Bamboo Market' },
  { id: 'shop-c', name: 'Cedar Electronics' },
  { id: 'shop-d', name: 'Delta Fashion' },
  { id: 'shop-e', name: 'Eastwind Home' },
];

export interface DemoMember {
  id: string;
  name: string;
  dir: string;
  node: RunningNode;
  runtime: NodeRuntime;
  admin: AdminClient;
}

/**
 * Sets up a whole consortium on 127.0.0.1 the way operators do by hand: governance creates it, each
 * member runs `init`, governance adds each member, each member joins; then every node starts.
 */
export async function setupDemoConsortium(opts: {
  root: string;
  members: number;
  basePort: number;
  consortiumId?: string;
  env: NodeJS.ProcessEnv;
  /** `externalScores` section for the first member's node.json (the demo points it at the mock gateway). */
  externalScores?: unknown;
}): Promise<{ governanceDir: string; members: DemoMember[] }> {
  if (opts.basePort <= 0) throw new Error('the demo needs fixed ports (--base-port N): the roster publishes each member URL');
  const now = new Date();
  const governanceDir = join(opts.root, 'governance');
  await createConsortium(governanceDir, opts.consortiumId ?? 'demo-consortium', now);
  const specs = DEMO_MEMBERS.slice(0, opts.members).map((m, i) => ({ ...m, dir: join(opts.root, m.id), port: opts.basePort + i }));
  for (const s of specs) await initNodeDir({ dir: s.dir, memberId: s.id, name: s.name, baseUrl: `http://127.0.0.1:${s.port}`, port: s.port });
  if (opts.externalScores) {
    const path = join(specs[0]!.dir, 'node.json');
    writeFileSync(path, `${JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), externalScores: opts.externalScores }, null, 2)}\n`);
  }
  for (const s of specs) await addMember(governanceDir, join(s.dir, 'member.json'), now);
  for (const s of specs) await joinConsortium({ dir: s.dir, rosterPath: join(governanceDir, 'roster.json'), sealedKeyPath: join(governanceDir, 'sealed', `${s.id}.key`) });
  const members: DemoMember[] = [];
  for (const s of specs) {
    const config = loadConfig(s.dir, { ...opts.env, DATABASE_URL: '', PORT: '', HOST: '' });
    const runtime = await composeNode(config, { network: { checkpointIntervalMs: 250, pull: { intervalMs: 500, maxBackoffMs: 5000 } } });
    const node = await listen(runtime, '127.0.0.1', s.port).catch(async (err: unknown) => {
      await runtime.close();
      for (const m of members) await m.node.stop();
      throw err;
    });
    const token = readFileSync(join(s.dir, 'admin-token'), 'utf8').trim();
    members.push({ id: s.id, name: s.name, dir: s.dir, node, runtime, admin: adminClient(node.url, token) });
  }
  // Background jobs start once every member is listening, so first pulls find their peers.
  for (const m of members) await m.runtime.start();
  return { governanceDir, members };
}
