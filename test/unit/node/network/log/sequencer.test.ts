import { afterEach, describe, expect, it } from 'vitest';
import { createTestConsortium, type TestConsortium } from '../../../../support/network/harness';
import { subjectValue, testSignal } from '../../../../support/network/fixtures';

describe('sequencer: batched signature checks', () => {
  let net: TestConsortium;
  afterEach(async () => net?.close());

  it('keeps call order across concurrent appends and refuses only the append whose signature fails', async () => {
    net = await createTestConsortium(['alpha']);
    const a = net.member('alpha');
    const sig = (label: string) => testSignal('alpha', a.keys, subjectValue('seq'), label);
    const forged = { ...sig('forged'), sig: sig('other').sig };
    const calls = [[sig('s0')], [sig('s1'), sig('s2')], [forged], [sig('s3')], [sig('s4'), sig('s5'), sig('s6')]];
    const settled = await Promise.allSettled(calls.map((c) => a.network.log.append(c)));
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: { code: 'signal-invalid' } });
    const ok = settled.filter((r) => r.status === 'fulfilled').map((r) => r.value.map((x) => x.index));
    expect(ok).toEqual([[0], [1, 2], [3], [4, 5, 6]]);
    // the refused signal was never logged; a later append continues the sequence
    expect(await a.network.log.append([sig('s7')])).toEqual([{ index: 7, id: sig('s7').body.id }]);
    expect(await a.network.log.checkpointNow()).toBe(8);
  }, 120_000);
});
