import { describe, expect, it } from 'vitest';
import { fullGarbageCollector } from '../../../../node/observability/memory';

describe('full garbage collector', () => {
  it('collects on demand without exposing gc globally', async () => {
    const had = 'gc' in globalThis;
    const gc = fullGarbageCollector();
    expect(gc).toBe(fullGarbageCollector());
    let garbage: number[][] | null = Array.from({ length: 1000 }, (_, i) => [i]);
    const ref = new WeakRef(garbage);
    garbage = null;
    await new Promise((resolve) => setImmediate(resolve)); // a WeakRef keeps its target alive until the job ends
    gc();
    expect(ref.deref()).toBeUndefined();
    expect('gc' in globalThis).toBe(had);
  });
});
