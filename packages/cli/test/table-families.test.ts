import { describe, expect, it } from 'vitest';
import { allFamilies, parseCommandLine, runCli } from '@emplace/cli';
import { listSolvers } from '@emplace/core';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

// Registry methods without a command-line family of their own: pareto:nsga2/nsga3 take a
// MultiObjectiveProblem (code, not a file), nucleolus:lp and auction:auto repeat another method.
const NOT_ON_THE_COMMAND_LINE = new Set(['pareto:nsga2', 'pareto:nsga3', 'nucleolus:lp', 'auction:auto']);

describe('CLI families come from the method tables', () => {
  it('offer every registered method under some family (a method added to a table needs no CLI edit)', () => {
    const offered = new Set(allFamilies.flatMap((f) => f.methods.map((m) => `${f.name}:${m}`)));
    const renamed: Record<string, string> = { 'banzhaf:auto': 'shapley:banzhaf', 'nucleolus:auto': 'shapley:nucleolus', 'least-core:auto': 'shapley:least-core', 'link-upgrade:auto': 'mcf:upgrade' };
    const cliFamilyOf: Record<string, string> = { auction: 'vcg' };
    for (const s of listSolvers()) {
      const key = `${s.family}:${s.method}`;
      if (NOT_ON_THE_COMMAND_LINE.has(key)) continue;
      const cli = renamed[key] ?? (s.family === 'kcenter' && s.method === 'incremental' ? 'online-kcenter:incremental' : `${cliFamilyOf[s.family] ?? s.family}:${s.method}`);
      expect(offered.has(cli), key).toBe(true);
    }
  });

  it('turn table options into flags, with their defaults and the methods that read them in help', async () => {
    const help = (await run(['help', 'stochastic'])).out;
    expect(help).toMatch(/--evaluation-samples N\s+fresh scenarios/);
    expect(help).toMatch(/default 10; --method saa/);
    expect((await run(['help', 'gap'])).out).toMatch(/--max-nodes N/);
  });

  it('refuse a method option given with a method that does not read it', async () => {
    const stochastic = allFamilies.find((f) => f.name === 'stochastic')!;
    const { args } = parseCommandLine(['solve', 'stochastic', 'f.json', '--samples', '8'], allFamilies);
    await expect(stochastic.solve({ instance: 'x', model: { kind: 'scenario-file' } }, args)).rejects.toThrow(/--samples applies to --method saa only/);
  });

  it('name a required method option the file does not give', async () => {
    const mclp = allFamilies.find((f) => f.name === 'mclp')!;
    const { args } = parseCommandLine(['solve', 'mclp', 'f.json', '--radius', '3'], allFamilies);
    await expect(mclp.solve({ instance: 'tiny', model: { kind: 'placement' }, params: {} }, args)).rejects.toThrow(/mclp needs --k for tiny/);
  });
});
