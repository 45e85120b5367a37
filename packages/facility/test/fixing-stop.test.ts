import { afterEach, describe, expect, it } from 'vitest';
import { abortAfterTurns } from '../../core/test/support/steps.js';
import { LagrangianRelaxation } from '../src/lagrangian.js';
import { solveCfl, solveSscfl } from '../src/solvers.js';
import { cornuejols } from './sscfl-instances.js';

/**
 * Issue 13 (CLI exit within 100 ms of a signal): the reduced-cost fixing of the Lagrangian
 * search stops probing once the run is stopped. Before, a stop seen at its every-64-sites
 * turn was ignored: the probes of the remaining sites ran, then a re-optimisation and a second
 * round (10-90 ms after an abort at 100 x 400, the split guide of sscfl:auto included). The
 * aborts land after counted event-loop turns, so each run reaches the same phases anywhere.
 */
const original = LagrangianRelaxation.prototype.forcedBound;
afterEach(() => {
  LagrangianRelaxation.prototype.forcedBound = original;
});

describe('reduced-cost fixing after an abort (issue 13)', () => {
  const model = cornuejols(100, 300, 3, 5);
  for (const [name, solver] of [
    ['cfl', solveCfl],
    ['sscfl', solveSscfl],
  ] as const) {
    it(`${name}:auto: no forced-bound probe once the signal has aborted, over aborts after 1..60 turns`, async () => {
      let total = 0;
      for (let turns = 1; turns <= 60; turns += 3) {
        let signal: AbortSignal | undefined;
        let after = 0;
        LagrangianRelaxation.prototype.forcedBound = function (this: LagrangianRelaxation, ...a: Parameters<LagrangianRelaxation['forcedBound']>) {
          if (signal?.aborted) after++;
          return original.apply(this, a);
        };
        const res = await abortAfterTurns(turns, (s) => {
          signal = s;
          return solver(model, { method: 'auto', signal: s, timeLimitMs: 120_000, seed: 1 });
        });
        expect(res.stoppedBy).toBe('aborted');
        total += after;
      }
      expect(total).toBe(0);
    }, 120_000);
  }
});
