import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initNodeDir } from '../../node/cli/commands/init';
import { loadConfig } from '../../node/config/load';
import type { NodeConfig } from '../../node/config/schema';

/** A fresh node directory in a temp folder, and its loaded configuration; `cleanup` removes it. */
export async function tempNode(memberId = 'member-t', env: NodeJS.ProcessEnv = {}): Promise<{ dir: string; config: NodeConfig; cleanup: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'consortium-test-'));
  const dir = join(root, memberId);
  await initNodeDir({ dir, memberId, baseUrl: 'http://127.0.0.1:7400', port: 0 });
  return { dir, config: loadConfig(dir, env), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
