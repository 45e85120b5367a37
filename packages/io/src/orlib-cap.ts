import { FormatError, createPlacementModel, type PlacementModel, type Steps } from '@emplace/core';
import { sourceOf, type ReadOptions } from './read-options.js';
import { readAsync, readSync, type AsyncReadOptions } from './read-steps.js';
import { TokenReader, parseNumber, sourceAt } from './tokens.js';

export interface OrlibCapOptions extends ReadOptions {
  /**
   * Capacity of every warehouse for files whose capacity field is the literal word
   * `capacity` (OR-Library capa/capb/capc); ignored where the file gives numbers.
   */
  capacity?: number;
}

export interface OrlibCapInstance {
  name: string;
  model: PlacementModel;
}

/**
 * Reads an OR-Library capacitated warehouse location file (cap41..cap134, capa/b/c).
 *
 * Layout: `m n`; m lines `capacity openingCost`; then per customer its demand followed
 * by m costs, each the cost of serving the customer's whole demand from warehouse i.
 * Values wrap over lines, so the file is read as whitespace tokens. The model has
 * sites = warehouses, clients = customers and `cost[i * n + j]` = that whole-demand cost.
 */
export function readOrlibCap(text: string, options: OrlibCapOptions = {}): OrlibCapInstance {
  return readSync(readOrlibCapSteps(text, options));
}

/** readOrlibCap giving the event loop a turn every 10 ms; throws a ReadAbortedError when `options.signal` aborts. */
export function readOrlibCapAsync(text: string, options: OrlibCapOptions & AsyncReadOptions = {}): Promise<OrlibCapInstance> {
  return readAsync(readOrlibCapSteps(text, options), 'the cap file', options);
}

function* readOrlibCapSteps(text: string, options: OrlibCapOptions): Steps<OrlibCapInstance> {
  const tr = new TokenReader(text, sourceOf(options));
  if (options.capacity !== undefined && !(options.capacity >= 0)) {
    throw new FormatError(`options.capacity (--capacity) must be a non-negative number, got ${options.capacity}`, sourceAt(sourceOf(options)));
  }
  const m = tr.count('the number of warehouses m', 1, 3);
  const n = tr.count('the number of customers n', 1, m + 1);
  const capacity = new Float64Array(m);
  const openingCost = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const tok = tr.require(`the capacity of warehouse ${i + 1}`);
    const cap = parseNumber(tok);
    if (cap !== undefined) {
      if (cap < 0) throw tr.error(`capacity of warehouse ${i + 1} is negative (${cap})`);
      capacity[i] = cap;
    } else if (tok.toLowerCase() === 'capacity') {
      if (options.capacity === undefined) {
        throw tr.error(`the capacity of warehouse ${i + 1} is the word "capacity": this file leaves capacities to the caller, pass { capacity } (--capacity N on the command line)`);
      }
      capacity[i] = options.capacity;
    } else {
      throw tr.error(`expected the capacity of warehouse ${i + 1} (a number or the word "capacity"), got ${JSON.stringify(tok)}`);
    }
    const f = tr.number(`the opening cost of warehouse ${i + 1}`);
    if (f < 0) throw tr.error(`opening cost of warehouse ${i + 1} is negative (${f})`);
    openingCost[i] = f;
  }
  const demand = new Float64Array(n);
  const cost = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    if ((j & 15) === 0) yield;
    const d = tr.number(`the demand of customer ${j + 1}`);
    if (d < 0) throw tr.error(`demand of customer ${j + 1} is negative (${d})`);
    demand[j] = d;
    for (let i = 0; i < m; i++) {
      const c = tr.number(`the cost of customer ${j + 1} from warehouse ${i + 1}`);
      if (c < 0) throw tr.error(`cost of customer ${j + 1} from warehouse ${i + 1} is negative (${c})`);
      cost[i * n + j] = c;
    }
  }
  if (!tr.atEnd()) {
    const extra = tr.next()!;
    throw tr.error(`unexpected token ${JSON.stringify(extra)} after ${n} customers (wrong m or n in the header?)`);
  }
  const model = createPlacementModel({
    sites: Array.from({ length: m }, (_, i) => ({ id: `w${i + 1}` })),
    clients: Array.from({ length: n }, (_, j) => ({ id: `c${j + 1}` })),
    cost,
    capacity,
    openingCost,
    demand,
  });
  return { name: options.name ?? 'cap', model };
}

/**
 * Writes a placement model in the OR-Library cap layout (first resource dimension;
 * Infinity capacities are written as the total demand, which never binds).
 */
export function writeOrlibCap(model: PlacementModel): string {
  const m = model.nSites;
  const n = model.nClients;
  const nDims = model.dimensions.length;
  let total = 0;
  for (let j = 0; j < n; j++) total += model.demand[j * nDims]!;
  const out: string[] = [` ${m} ${n} `];
  for (let i = 0; i < m; i++) {
    const cap = model.capacity[i * nDims]!;
    out.push(` ${cap === Infinity ? total : cap} ${model.openingCost[i]} `);
  }
  for (let j = 0; j < n; j++) {
    out.push(` ${model.demand[j * nDims]} `);
    const row: string[] = [];
    for (let i = 0; i < m; i++) row.push(String(model.cost[i * n + j]));
    for (let k = 0; k < row.length; k += 10) out.push(` ${row.slice(k, k + 10).join(' ')} `);
  }
  return out.join('\n') + '\n';
}
