import { LinearModel } from '@emplace/lp';

/**
 * A market-split instance (Cornuéjols & Dawande) with slack variables: m random rows
 * sum_j a_ij x_j + s+_i - s-_i = floor(sum_j a_ij / 2), x binary, minimise total slack.
 * Every x is feasible, so heuristics find incumbents, but closing the gap to 0 takes
 * branch-and-bound far longer than a second at m = 5, n = 40.
 */
export function marketSplit(m: number, n: number, seed: number): { model: LinearModel; x0: number; slack0: number } {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const model = new LinearModel('min');
  const x0 = model.addVariables(n, { type: 'binary' });
  const slack0 = model.addVariables(2 * m, { obj: 1 });
  const idx: number[] = [];
  for (let j = 0; j < n; j++) idx.push(x0 + j);
  for (let i = 0; i < m; i++) {
    const a = idx.map(() => Math.floor(rnd() * 100));
    const d = Math.floor(a.reduce((p, q) => p + q, 0) / 2);
    model.addEq([...idx, slack0 + 2 * i, slack0 + 2 * i + 1], [...a, 1, -1], d, `split${i}`);
  }
  return { model, x0, slack0 };
}
