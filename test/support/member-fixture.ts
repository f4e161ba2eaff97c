import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRoster, ready, sealConsortiumKey, signRoster, formatTimestamp, type RosterBody } from '../../protocol';
import { upsertMember } from '../../node/governance/roster-edit';
import { readDescriptor } from '../../node/membership/descriptor';
import { joinedRosterPath, writeMembership } from '../../node/membership/files';
import { loadKeys } from '../../node/keys/keyfile';
import { openConsortiumKey } from '../../protocol';
import sodium from 'libsodium-wrappers';
import { tempNode } from './node-dir';

/** A governance key and pseudonymization key for tests. */
export async function testGovernance(consortium = 'test-consortium') {
  await ready();
  const gov = sodium.crypto_sign_keypair();
  const signer = { kid: 'gov-test', secretKey: gov.privateKey };
  const body: RosterBody = {
    v: 1,
    consortium,
    version: 1,
    issuedAt: formatTimestamp(new Date('2026-01-01T00:00:00Z')),
    governance: [{ kid: 'gov-test', publicKey: Buffer.from(gov.publicKey).toString('base64') }],
    members: [],
  };
  return { consortium, signer, body, pseudonymKey: { kid: 'pk-test', key: new Uint8Array(32).fill(7) } };
}

/**
 * Node directories that have joined one consortium, as `init` + `consortium add-member` + `join` leave
 * them; returns their directories and the final roster.
 */
export async function joinedNodes(memberIds: string[], consortium = 'test-consortium') {
  const g = await testGovernance(consortium);
  const nodes: Awaited<ReturnType<typeof tempNode>>[] = [];
  let body = g.body;
  for (const id of memberIds) {
    const n = await tempNode(id);
    body = upsertMember(body, readDescriptor(join(n.dir, 'member.json')), { now: new Date('2026-01-02T00:00:00Z') });
    nodes.push(n);
  }
  const signed = signRoster(body, g.signer);
  for (const n of nodes) {
    const keys = loadKeys(n.dir);
    const sealed = sealConsortiumKey(g.pseudonymKey, keys.box.publicKey);
    writeMembership(n.dir, { consortiumId: consortium, pseudonymKey: openConsortiumKey(sealed, keys.box), anchors: g.body.governance });
    writeFileSync(joinedRosterPath(n.dir), encodeRoster(signed));
  }
  return { governance: g, roster: signed, nodes, cleanup: () => nodes.forEach((n) => n.cleanup()) };
}
