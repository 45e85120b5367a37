import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { hasSolution, type PlacementModel, type Result } from '@emplace/core';
import { allFamilies, runCli, type CliArgs } from '@emplace/cli';
import type { CoverageSolution, DispersionSolution, SurvivableSolution } from '@emplace/kcenter';
import { describe, expect, it } from 'vitest';

/**
 * The coverage families on OR-Library pmed1 (100 vertices, p = 5, p-center optimum 127),
 * through each family's load / solve as the CLI calls them. The p-center optimum ties the
 * models together: 5 sites cover everyone within 127 and nobody covers everyone within 126
 * with 5, so LSCP needs exactly 5 sites at 127 and more at 126, and MCLP with k = 5
 * covers all 100 clients at 127 but not at 126.
 */
const pmed1 = resolve(process.env.EMPLACE_INSTANCES ?? resolve(__dirname, '../../../../shared/instances'), 'pmed/pmed1.txt');
const family = (name: string) => {
  const f = allFamilies.find((x) => x.name === name);
  if (!f) throw new Error(`family ${name} is not listed`);
  return f;
};
const args = (extra: Record<string, string | boolean>, more: Partial<CliArgs> = {}): CliArgs => ({ json: true, extra, ...more });

async function run(name: string, a: CliArgs): Promise<{ model: PlacementModel; result: Result<unknown> }> {
  const f = family(name);
  const [problem] = await f.load(pmed1, a);
  return { model: problem!.model as PlacementModel, result: await f.solve(problem!, a) };
}

/** Independent check: clients with an open site within r. */
function coveredBy(model: PlacementModel, open: ArrayLike<number>, r: number): number {
  let n = 0;
  for (let j = 0; j < model.nClients; j++) {
    let ok = false;
    for (let a = 0; a < open.length && !ok; a++) if (model.cost[open[a]! * model.nClients + j]! <= r) ok = true;
    if (ok) n++;
  }
  return n;
}

describe.skipIf(!existsSync(pmed1))('coverage CLI families on pmed1', () => {
  it('lscp: 5 sites at the p-center radius 127, more at 126; greedy never fewer', async () => {
    const at127 = await run('lscp', args({ radius: '127' }));
    const at126 = await run('lscp', args({ radius: '126' }));
    const greedy = await run('lscp', args({ radius: '126' }, { method: 'greedy' }));
    for (const r of [at127, at126, greedy]) {
      if (!hasSolution(r.result)) throw new Error(r.result.status);
      const s = r.result.solution as CoverageSolution;
      expect(coveredBy(r.model, s.open, r === at127 ? 127 : 126)).toBe(100);
      expect(r.result.objective).toBe(s.open.length);
    }
    expect(at127.result.status).toBe('optimal');
    expect(at127.result.objective).toBe(5);
    expect(at126.result.status).toBe('optimal');
    expect(at126.result.objective).toBeGreaterThan(5);
    expect(greedy.result.objective!).toBeGreaterThanOrEqual(at126.result.objective!);
  });

  it('mclp: k = p of the file covers all 100 clients at 127, fewer at 126', async () => {
    const at127 = await run('mclp', args({ radius: '127' }));
    const at126 = await run('mclp', args({ radius: '126' }));
    expect(at127.result.status).toBe('optimal');
    expect(at127.result.objective).toBe(100);
    expect(at126.result.status).toBe('optimal');
    expect(at126.result.objective).toBeLessThan(100);
    const s = at126.result.solution as CoverageSolution;
    expect(s.open.length).toBe(5);
    expect(coveredBy(at126.model, s.open, 126)).toBe(at126.result.objective);
    const greedy = await run('mclp', args({ radius: '126' }, { method: 'greedy' }));
    expect(greedy.result.objective!).toBeLessThanOrEqual(at126.result.objective!);
    expect(greedy.result.bound!).toBeGreaterThanOrEqual(at126.result.objective!);
  });

  it('pdispersion: the exact value lies between the greedy and its bound and is the recomputed smallest distance', async () => {
    const ex = await run('pdispersion', args({}, { k: 5 }));
    const gr = await run('pdispersion', args({}, { k: 5, method: 'greedy' }));
    if (!hasSolution(ex.result) || !hasSolution(gr.result)) throw new Error('no solution');
    expect(ex.result.status).toBe('optimal');
    const s = ex.result.solution as DispersionSolution;
    let min = Infinity;
    for (const a of s.open) for (const b of s.open) if (a !== b) min = Math.min(min, ex.model.cost[a * 100 + b]!);
    expect(ex.result.objective).toBe(min);
    expect(gr.result.objective).toBeLessThanOrEqual(ex.result.objective);
    expect(gr.result.bound!).toBeGreaterThanOrEqual(ex.result.objective);
  });

  it('survivable: every client keeps a site within L after any one failure', async () => {
    const L = 127;
    const ex = await run('survivable', args({ radius: String(L) }, { timeLimitMs: 20_000 }));
    if (!hasSolution(ex.result)) throw new Error(ex.result.status);
    const s = ex.result.solution as SurvivableSolution;
    for (const failed of s.open) {
      const rest = Array.from(s.open).filter((x) => x !== failed);
      expect(coveredBy(ex.model, rest, L)).toBe(100);
    }
    const gr = await run('survivable', args({ radius: String(L) }, { method: 'greedy' }));
    expect(gr.result.objective!).toBeGreaterThanOrEqual(ex.result.bound ?? ex.result.objective);
  });

  it('refuses a missing --radius with a usage error, and runs end to end with --json', async () => {
    await expect(run('lscp', args({}))).rejects.toThrow(/--radius/);
    let out = '';
    let err = '';
    const code = await runCli(['solve', 'mclp', pmed1, '--radius', '127', '--json'], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    expect(err).toBe('');
    expect(code).toBe(0);
    const line = JSON.parse(out.trim().split('\n')[0]!) as { objective: number; status: string };
    expect(line.status).toBe('optimal');
    expect(line.objective).toBe(100);
  });
});
