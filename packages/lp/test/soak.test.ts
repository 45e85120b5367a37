import { describe, expect, it } from 'vitest';
import { BackendError } from '@emplace/core';
import { LinearModel, solveLp } from '../src/index.js';
import { setHighsLoaderForTesting } from '../src/backends/highs.js';
import { soak } from '../../../benchmarks/responsiveness/soak-core.js';

describe('HiGHS soak (issue 13; the 10,000-solve run is benchmarks/responsiveness/soak.ts)', () => {
  it('300 consecutive solves with real runtime failures every 100: each failure is a BackendError and the next solve recovers', async () => {
    const r = await soak(300, 100);
    expect(r.unexpectedErrors).toBe(0);
    expect(r.forcedFailures).toBe(3);
    expect(r.recovered).toBe(2); // the third failure is the last solve
    expect(r.optimal).toBe(297);
  });

  it('a trap inside the wasm runtime drops it; the next solve loads a fresh one', async () => {
    const { default: highsLoader } = await import('highs');
    let loads = 0;
    let trapped = false;
    setHighsLoaderForTesting(async () => {
      loads++;
      const real = await (highsLoader as unknown as () => Promise<Record<string, unknown>>)();
      if (trapped) return real as never;
      trapped = true;
      // The first runtime traps on its first model, like a corrupted wasm instance.
      return new Proxy(real, {
        get(target, key) {
          if (key === 'createModel') return () => { throw new WebAssembly.RuntimeError('unreachable'); };
          return Reflect.get(target, key);
        },
      }) as never;
    });
    try {
      const lm = new LinearModel('max');
      const x = lm.addVariable({ type: 'binary', obj: 3 });
      const y = lm.addVariable({ type: 'binary', obj: 2 });
      lm.addLe([x, y], [1, 1], 1);
      await expect(solveLp(lm)).rejects.toThrow(BackendError);
      const ok = await solveLp(lm);
      expect(ok.status).toBe('optimal');
      expect(ok.objective).toBe(3);
      expect(loads).toBe(2);
    } finally {
      setHighsLoaderForTesting(undefined);
    }
  });
});
