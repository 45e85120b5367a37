import { describe, expect, it } from 'vitest';
import { cliProblems, runCliCase } from './cli-harness.js';

/**
 * The defects issue 13 lists, replayed end to end through the command line (each also has a
 * unit test in its package: graph/test/defects, facility/test/defects, assignment/test/defects,
 * spectral/test/defects, mechanism/test/defects, cli/test/options). Here the file, the flags and
 * the exit code are what a user sees.
 */
const STP = (edges: string, terminals: number[]): string =>
  [
    '33D32945 STP File, STP Format Version 1.0',
    'SECTION Graph',
    `Nodes 3`,
    `Edges ${edges.trim().split('\n').length}`,
    edges.trim(),
    'END',
    'SECTION Terminals',
    `Terminals ${terminals.length}`,
    ...terminals.map((t) => `T ${t}`),
    'END',
    'EOF',
  ].join('\n') + '\n';

/** OR-Library cap layout of a small single-source instance (capacities, opening costs 10, demands, whole-demand costs). */
function capFile(demand: number[], capacity: number[], cost: number[]): string {
  const m = capacity.length;
  const n = demand.length;
  const lines = [`${m} ${n}`, ...capacity.map((c) => `${c} 10`)];
  for (let j = 0; j < n; j++) lines.push(String(demand[j]), Array.from({ length: m }, (_, i) => cost[i * n + j]).join(' '));
  return lines.join('\n') + '\n';
}

async function json(family: string, text: string, fileName: string, ...args: string[]) {
  const outcome = await runCliCase({ family, fileName, text, args });
  expect(cliProblems(outcome)).toEqual([]);
  return { outcome, records: outcome.out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('issue 13 defects through the CLI', () => {
  it('maxflow: a 1e15 capacity does not hide the others (true max flow 9)', async () => {
    const { records } = await json('maxflow', STP('E 1 2 1e15\nE 2 3 5\nE 1 3 4', [1, 3]), 'big.stp', '--source', '1', '--sink', '3');
    expect(records[0]).toMatchObject({ status: 'optimal', objective: 9 });
  });

  it('sscfl auto and lagrangian: the feasible instance is solved (MIP optimum 544 by the facility test), the infeasible one proven infeasible', async () => {
    const feasible = capFile([6, 8, 4, 4, 1, 3, 3], [10, 11, 10], [15, 15, 1, 10, 9, 7, 1, 12, 20, 18, 18, 3, 7, 13, 16, 20, 5, 13, 8, 2, 16]);
    const infeasible = capFile([9, 8, 6, 2, 8, 8, 1], [15, 14, 14], [12, 20, 16, 8, 8, 6, 11, 17, 10, 11, 5, 4, 16, 12, 5, 20, 15, 11, 10, 14, 14]);
    for (const method of ['auto', 'lagrangian']) {
      const ok = await json('sscfl', feasible, 'cap-ok.txt', '--method', method, '--time-limit', '10');
      expect(['optimal', 'feasible'], method).toContain(ok.records[0]!['status']);
      const no = await json('sscfl', infeasible, 'cap-no.txt', '--method', method, '--time-limit', '10');
      expect(no.records[0]!['status'], method).toBe('infeasible');
      expect(no.outcome.code).toBe(2);
    }
  });

  it('fiedler with a 1e308 weight returns a finite result; partition never reports Infinity', async () => {
    const edges = '1 2 1e308\n2 3 1\n3 1 1\n';
    const f = await json('fiedler', edges, 'huge.edges');
    expect(f.outcome.code).toBe(0);
    const p = await json('partition', edges, 'huge.edges');
    expect(p.outcome.results.every((r) => r.objective === undefined || Number.isFinite(r.objective))).toBe(true);
  });

  it('an option a family does not use is exit 1 with a one-line reason, never ignored', async () => {
    for (const family of ['ufl', 'cfl', 'sscfl', 'gap', 'steiner', 'mst', 'maxflow', 'mincostflow', 'fiedler', 'shapley', 'vcg', 'schedule', 'replicas']) {
      const outcome = await runCliCase({ family, fileName: 'x.txt', text: 'irrelevant\n', args: ['--k', '3'] });
      expect(outcome.code, family).toBe(1);
      expect(outcome.err, family).toMatch(/--k/);
      expect(outcome.err.trim().split('\n'), family).toHaveLength(1);
    }
  });

  it('kcenter refuses k > n and k = 0; a misspelled --time-limt is refused, not run without a limit', async () => {
    const pmed = '4 3 2\n1 2 3\n2 3 4\n3 4 5\n';
    for (const k of ['9', '0']) {
      const outcome = await runCliCase({ family: 'kcenter', fileName: 'p.txt', text: pmed, args: ['--k', k] });
      expect(outcome.code, k).toBe(1);
      expect(cliProblems(outcome)).toEqual([]);
    }
    const typo = await runCliCase({ family: 'kcenter', fileName: 'p.txt', text: pmed, args: ['--time-limt', '3'] });
    expect(typo.code).toBe(1);
    expect(typo.err).toMatch(/time-limit/);
  });

  it('damaged pmed and cap files name the format they were meant to be', async () => {
    const cut = await runCliCase({ family: 'kcenter', fileName: 'cut.txt', text: '5 6 2\n1 2 3\n2 3 4\n3 4 5\n', args: [] });
    expect(cut.err).toMatch(/orlib-pmed/);
    const cap = await runCliCase({ family: 'pareto', fileName: 'cut2.txt', text: '3 4\n10 5\n10 5\n', args: [] });
    expect(cap.err).toMatch(/orlib-cap/);
  });

  it('a Shapley allocation error names a field of the input, not allocation[0]', async () => {
    const game = JSON.stringify({ kind: 'game', players: ['a', 'b'], table: [0, 1, 1, 3], allocation: [1, 'x'] });
    const outcome = await runCliCase({ family: 'shapley', fileName: 'g.json', text: game, args: [] });
    expect(outcome.code).toBe(1);
    expect(outcome.err).not.toMatch(/allocation\[0\]/);
    expect(cliProblems(outcome)).toEqual([]);
  });

  it('gap:tabu: the seed drives the search (same seed, same answer)', async () => {
    const lines = ['1', '3 8'];
    const row = (k: number): string => Array.from({ length: 8 }, (_, j) => ((j * 7 + k * 13) % 23) + 1).join(' ');
    for (let i = 0; i < 3; i++) lines.push(row(i));
    for (let i = 0; i < 3; i++) lines.push(row(i + 5).replace(/\d+/g, (d) => String((Number(d) % 6) + 1)));
    lines.push('12 12 12');
    const text = lines.join('\n') + '\n';
    const a = await json('gap', text, 'g.txt', '--sense', 'min', '--method', 'tabu', '--seed', '3');
    const b = await json('gap', text, 'g.txt', '--sense', 'min', '--method', 'tabu', '--seed', '3');
    expect(a.records[0]!['objective']).toBe(b.records[0]!['objective']);
  });
});
