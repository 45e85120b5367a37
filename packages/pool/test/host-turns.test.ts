import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelError } from '@emplace/core';
import { createSolverPool } from '../src/index.js';
import { encodeForPost } from '../src/transfer.js';
import { lowerThreadPriority } from '../src/worker-priority.js';

/** The nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended while we listed them.
    }
  }
  return out;
}

describe('the host keeps its event loop (issue 13: pool host stall)', () => {
  it('encodeForPost does no work in the caller\'s turn: the first slice waits for a turn of the event loop', async () => {
    // A timer callback that starts a solve, a first slice run at once and a second one
    // (an immediate of the same loop iteration) blocked the host as one stretch.
    let reads = 0;
    const model = {
      kind: 'probe',
      get cost(): Float64Array {
        reads++;
        return new Float64Array(1 << 16);
      },
    };
    const pending = encodeForPost(model, 'copy');
    expect(reads).toBe(0);
    const encoded = await pending;
    expect(reads).toBeGreaterThan(0);
    expect(encoded.transfer.length).toBe(1);
  });

  it('a 4 MB copy is split into many turns of the event loop', async () => {
    let turns = 0;
    let stop = false;
    const spin = (): void => {
      turns++;
      if (!stop) setImmediate(spin);
    };
    setImmediate(spin);
    const encoded = await encodeForPost({ kind: 'probe', cost: new Float64Array(1 << 19).fill(1) }, 'copy');
    stop = true;
    expect(encoded.transfer[0]!.byteLength).toBe(4 << 20);
    // 64 kB per step: at least a turn per couple of ms of copying; never one long stretch.
    expect(turns).toBeGreaterThan(1);
  });

  it('workerNice must be an integer 0-19', () => {
    expect(() => createSolverPool({ workerNice: -1 })).toThrow(ModelError);
    expect(() => createSolverPool({ workerNice: 2.5 })).toThrow(/workerNice/);
    expect(() => createSolverPool({ workerNice: 20 })).toThrow(/workerNice/);
  });

  it('lowerThreadPriority never renices the main thread (there it would renice the whole process on some systems)', async () => {
    expect(await lowerThreadPriority(3)).toBeUndefined();
    expect(await lowerThreadPriority(0)).toBeUndefined();
  });

  describe.skipIf(process.platform !== 'linux' || !existsSync('/proc/thread-self'))('Linux: worker threads run at a lower priority than the host', () => {
    const pool = createSolverPool({ size: 1, workerNice: 4, modules: [] });
    afterAll(() => pool.destroy());

    it('the worker thread is 4 nice steps below the host (capped at 19), the host thread is unchanged', async () => {
      const before = threadNices();
      const host = before.get(process.pid)!;
      await pool.ready();
      const after = threadNices();
      expect(after.get(process.pid)).toBe(host);
      const added = [...after].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
      expect(added).toContain(Math.min(19, host + 4));
    });
  });
});
