import { createPlacementModel, type PlacementModel, type Steps } from '@emplace/core';
import { sourceOf, type ReadOptions } from './read-options.js';
import { readAsync, readSync, type AsyncReadOptions } from './read-steps.js';
import { TokenReader } from './tokens.js';

export interface OrlibGapInstance {
  /** `<name>-<i>`, i 1-based (e.g. `gap1-3`), as in the shared optima.json. */
  name: string;
  model: PlacementModel;
}

/**
 * Reads an OR-Library generalized assignment file, which holds several problems:
 * `P`, then per problem `m n`, the m x n cost matrix and the m x n resource matrix (both
 * by agent row) and the m agent capacities. Values wrap over lines (read as tokens).
 *
 * Each problem becomes a PlacementModel with sites = agents (capacity), clients = jobs,
 * `cost[i * n + j]` = c_ij and `siteDemand[i * n + j]` = r_ij. The site-independent
 * `demand[j]` is set to min_i r_ij, a lower bound on what job j consumes anywhere, so
 * demand-based infeasibility checks (total demand > total capacity) stay valid.
 *
 * The file does not say whether a problem is minimised or maximised (OR-Library gap1-12
 * are maximisation problems in the literature, gapa/gapb minimisation): that is the
 * caller's choice.
 */
export function readOrlibGap(text: string, options: ReadOptions = {}): OrlibGapInstance[] {
  return readSync(readOrlibGapSteps(text, options));
}

/** readOrlibGap giving the event loop a turn every 10 ms; throws a ReadAbortedError when `options.signal` aborts. */
export function readOrlibGapAsync(text: string, options: ReadOptions & AsyncReadOptions = {}): Promise<OrlibGapInstance[]> {
  return readAsync(readOrlibGapSteps(text, options), 'the gap file', options);
}

function* readOrlibGapSteps(text: string, options: ReadOptions): Steps<OrlibGapInstance[]> {
  const tr = new TokenReader(text, sourceOf(options));
  const base = options.name ?? 'gap';
  const count = tr.count('the number of problems', 1, 5);
  const out: OrlibGapInstance[] = [];
  for (let k = 0; k < count; k++) {
    const at = `problem ${k + 1}`;
    const m = tr.count(`the number of agents m of ${at}`, 1, 3);
    const n = tr.count(`the number of jobs n of ${at}`, 1, 2 * m);
    const cost = new Float64Array(m * n);
    const siteDemand = new Float64Array(m * n);
    const capacity = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      yield;
      for (let j = 0; j < n; j++) cost[i * n + j] = tr.number(`cost c[${i + 1}][${j + 1}] of ${at}`);
    }
    for (let i = 0; i < m; i++) {
      yield;
      for (let j = 0; j < n; j++) {
        const r = tr.number(`resource r[${i + 1}][${j + 1}] of ${at}`);
        if (r < 0) throw tr.error(`resource r[${i + 1}][${j + 1}] of ${at} is negative (${r})`);
        siteDemand[i * n + j] = r;
      }
    }
    for (let i = 0; i < m; i++) {
      const b = tr.number(`capacity of agent ${i + 1} of ${at}`);
      if (b < 0) throw tr.error(`capacity of agent ${i + 1} of ${at} is negative (${b})`);
      capacity[i] = b;
    }
    const demand = new Float64Array(n).fill(Infinity);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) demand[j] = Math.min(demand[j]!, siteDemand[i * n + j]!);
    const model = createPlacementModel({
      sites: Array.from({ length: m }, (_, i) => ({ id: `agent${i + 1}` })),
      clients: Array.from({ length: n }, (_, j) => ({ id: `job${j + 1}` })),
      cost,
      capacity,
      demand,
      siteDemand,
      allowNegativeCost: true,
    });
    out.push({ name: `${base}-${k + 1}`, model });
  }
  if (!tr.atEnd()) {
    const extra = tr.next()!;
    throw tr.error(`unexpected token ${JSON.stringify(extra)} after ${count} problems (wrong counts in a problem header?)`);
  }
  return out;
}

/** Writes problems in the OR-Library GAP layout (first resource dimension, site-dependent demand when present). */
export function writeOrlibGap(models: readonly PlacementModel[]): string {
  const out: string[] = [` ${models.length}`];
  for (const model of models) {
    const m = model.nSites;
    const n = model.nClients;
    const nDims = model.dimensions.length;
    out.push(` ${m} ${n}`);
    for (let i = 0; i < m; i++) out.push(rowText(n, (j) => model.cost[i * n + j]!));
    for (let i = 0; i < m; i++) {
      out.push(rowText(n, (j) => (model.siteDemand ? model.siteDemand[(i * n + j) * nDims]! : model.demand[j * nDims]!)));
    }
    out.push(rowText(m, (i) => model.capacity[i * nDims]!));
  }
  return out.join('\n') + '\n';
}

function rowText(len: number, value: (k: number) => number): string {
  const parts: string[] = [];
  for (let k = 0; k < len; k++) parts.push(String(value(k)));
  return ' ' + parts.join(' ');
}
