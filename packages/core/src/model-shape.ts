import { ModelError } from './errors.js';
import { runSteps, type Steps } from './steps.js';
import { describe } from './validate.js';

/**
 * Checks the shape of a model handed to a solver entry (the registry's `solve` and every method
 * table's uniform entry): the constructors validate their input, but a model is a plain object,
 * so a hand-built or mutated one (a count that disagrees with its arrays, a number where a typed
 * array belongs, an index out of range, a NaN written into a cost) reached the solvers and
 * ended in a TypeError, a RangeError or a fatal "invalid size" crash of the process. Placement
 * models, graphs and flow networks are checked wherever they sit: the model itself or one
 * level down (a Steiner instance's `graph`, a schedule's `placement`, a scenario set's `model`).
 *
 * Counts, array types and lengths are always checked (constant time). Values and indices are
 * scanned when an array has at most `SCAN_LIMIT` entries: the constructors have checked them
 * already, and a full scan of a 10-million-edge graph would cost the caller's event loop tens
 * of milliseconds for a defect that needs deliberate mutation.
 */
export function checkModelShape(model: unknown): void {
  if (model !== null && typeof model === 'object' && checkedBySolveEntry.has(model)) return;
  runSteps(checkModelShapeSteps(model));
}

/**
 * Models a registry entry has checked for the solve it is running (method-table.ts): the family
 * entry it calls checks again (it is also a public function) and would scan a million-edge graph
 * a second time. Held for that solve only.
 */
const checkedBySolveEntry = new WeakSet<object>();

/** Runs `solve` with `model` known to be checked (see checkedBySolveEntry). */
export async function withShapeChecked<T>(model: object, solve: () => T | Promise<T>): Promise<T> {
  checkedBySolveEntry.add(model);
  try {
    return await solve();
  } finally {
    checkedBySolveEntry.delete(model);
  }
}

/**
 * checkModelShape with a checkpoint after every SCAN_CHUNK entries scanned, for callers that
 * give their event loop a turn there: a million-edge graph's scan is 30-40 ms of cold code.
 */
export function* checkModelShapeSteps(model: unknown): Steps<void> {
  if (model === null || typeof model !== 'object') throw new ModelError('model', `must be a model object, got ${describe(model)}`);
  yield* checkPart(model as Record<string, unknown>, 'model');
  for (const [key, value] of Object.entries(model)) {
    if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !Array.isArray(value)) yield* checkPart(value as Record<string, unknown>, `model.${key}`);
  }
}

/** Arrays longer than this are checked for type and length only. */
export const SCAN_LIMIT = 1 << 20;

/** Entries scanned between two checkpoints of checkModelShapeSteps (about a millisecond cold). */
const SCAN_CHUNK = 1 << 16;

function* checkPart(part: Record<string, unknown>, at: string): Steps<void> {
  if (part['kind'] === 'placement') yield* checkPlacement(part, at);
  else if (part['kind'] === 'graph') yield* checkGraph(part, at);
  else if (part['kind'] === 'flow-network') yield* checkFlowNetwork(part, at);
}

function count(part: Record<string, unknown>, at: string, key: string, min = 0): number {
  const v = part[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new ModelError(`${at}.${key}`, `must be an integer >= ${min}, got ${describe(v)}`);
  return v;
}

type Typed = Float64Array | Int32Array | Uint8Array;
type TypedClass = Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

function typed(part: Record<string, unknown>, at: string, key: string, type: TypedClass, length: number, optional = false): Typed | undefined {
  const v = part[key];
  if (v === undefined && optional) return undefined;
  if (!(v instanceof type)) throw new ModelError(`${at}.${key}`, `must be a ${type.name}, got ${describe(v)}`);
  if (v.length !== length) throw new ModelError(`${at}.${key}`, `must have ${length} entries, got ${v.length}`);
  return v;
}

type Rule = 'finite' | 'non-negative' | 'non-negative-or-infinity' | 'not-nan';

/** Scans values (small arrays only, see SCAN_LIMIT), a checkpoint every SCAN_CHUNK entries. */
function* values(arr: Typed | undefined, at: string, rule: Rule): Steps<void> {
  if (arr === undefined || arr.length > SCAN_LIMIT) return;
  let i = -1;
  for (let from = 0; from < arr.length && i < 0; from += SCAN_CHUNK) {
    if (from > 0) yield;
    const to = Math.min(arr.length, from + SCAN_CHUNK);
    // One tight loop per rule (the rule is not re-tested per entry): the first scan of a model
    // runs in cold code, where that test made a 360k-arc network's check ~20 ms (issue 13).
    i = rule === 'finite' ? firstNonFinite(arr, from, to) : rule === 'non-negative' ? firstNotFiniteNonNegative(arr, from, to) : rule === 'not-nan' ? firstNaN(arr, from, to) : firstNotNonNegative(arr, from, to);
  }
  if (i < 0) return;
  const v = arr[i]!;
  throw new ModelError(`${at}[${i}]`, Number.isNaN(v) ? 'is NaN' : rule === 'finite' ? `must be finite, got ${v}` : `must be non-negative${rule === 'non-negative' ? ' and finite' : ''}, got ${v}`);
}

function firstNonFinite(arr: Typed, from: number, to: number): number {
  for (let i = from; i < to; i++) if (!Number.isFinite(arr[i]!)) return i;
  return -1;
}

function firstNotFiniteNonNegative(arr: Typed, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const v = arr[i]!;
    if (!(v >= 0 && v < Infinity)) return i;
  }
  return -1;
}

function firstNaN(arr: Typed, from: number, to: number): number {
  for (let i = from; i < to; i++) if (Number.isNaN(arr[i]!)) return i;
  return -1;
}

function firstNotNonNegative(arr: Typed, from: number, to: number): number {
  for (let i = from; i < to; i++) if (!(arr[i]! >= 0)) return i;
  return -1;
}

/** Scans indices into [0, n), a checkpoint every SCAN_CHUNK entries. */
function* indices(arr: Typed | undefined, at: string, n: number, what: string): Steps<void> {
  if (arr === undefined || arr.length > SCAN_LIMIT) return;
  for (let from = 0; from < arr.length; from += SCAN_CHUNK) {
    if (from > 0) yield;
    const to = Math.min(arr.length, from + SCAN_CHUNK);
    for (let i = from; i < to; i++) {
      const v = arr[i]!;
      if (!(v >= 0 && v < n)) throw new ModelError(`${at}[${i}]`, `must be a ${what} index in [0, ${n}), got ${v}`);
    }
  }
}

function stringList(part: Record<string, unknown>, at: string, key: string, length: number | undefined): readonly unknown[] {
  const v = part[key];
  if (!Array.isArray(v)) throw new ModelError(`${at}.${key}`, `must be an array, got ${describe(v)}`);
  if (length !== undefined && v.length !== length) throw new ModelError(`${at}.${key}`, `must have ${length} entries, got ${v.length}`);
  return v;
}

function* checkPlacement(p: Record<string, unknown>, at: string): Steps<void> {
  const nSites = count(p, at, 'nSites', 1);
  const nClients = count(p, at, 'nClients');
  const dimensions = stringList(p, at, 'dimensions', undefined);
  const nDims = dimensions.length;
  if (nDims === 0) throw new ModelError(`${at}.dimensions`, 'must name at least one resource dimension');
  if (nSites * nClients * nDims > Number.MAX_SAFE_INTEGER) throw new ModelError(at, `is too large: ${nSites} sites x ${nClients} clients`);
  stringList(p, at, 'siteIds', nSites);
  stringList(p, at, 'clientIds', nClients);
  const labels = stringList(p, at, 'siteLabels', nSites);
  labels.forEach((l, i) => {
    if (l === null || typeof l !== 'object') throw new ModelError(`${at}.siteLabels[${i}]`, `must be an object of labels, got ${describe(l)}`);
  });
  yield* values(typed(p, at, 'openingCost', Float64Array, nSites), `${at}.openingCost`, 'non-negative');
  yield* values(typed(p, at, 'capacity', Float64Array, nSites * nDims), `${at}.capacity`, 'non-negative-or-infinity');
  yield* values(typed(p, at, 'demand', Float64Array, nClients * nDims), `${at}.demand`, 'non-negative');
  yield* values(typed(p, at, 'weight', Float64Array, nClients), `${at}.weight`, 'non-negative');
  yield* values(typed(p, at, 'cost', Float64Array, nSites * nClients), `${at}.cost`, 'finite');
  yield* values(typed(p, at, 'siteDemand', Float64Array, nSites * nClients * nDims, true), `${at}.siteDemand`, 'non-negative');
  yield* values(typed(p, at, 'replicas', Int32Array, nClients, true), `${at}.replicas`, 'non-negative');
  typed(p, at, 'allowed', Uint8Array, nSites * nClients, true);
  typed(p, at, 'mustOpen', Uint8Array, nSites);
  typed(p, at, 'forbidden', Uint8Array, nSites);
  const affinity = stringList(p, at, 'affinity', undefined);
  for (const [a, g] of affinity.entries()) {
    if (!(g instanceof Int32Array)) throw new ModelError(`${at}.affinity[${a}]`, `must be an Int32Array of client indices, got ${describe(g)}`);
    yield* indices(g, `${at}.affinity[${a}]`, nClients, 'client');
  }
  const anti = stringList(p, at, 'antiAffinity', undefined);
  for (const [a, g] of anti.entries()) {
    const clients = g !== null && typeof g === 'object' ? (g as { clients?: unknown }).clients : undefined;
    if (!(clients instanceof Int32Array)) throw new ModelError(`${at}.antiAffinity[${a}].clients`, `must be an Int32Array of client indices, got ${describe(clients)}`);
    yield* indices(clients, `${at}.antiAffinity[${a}].clients`, nClients, 'client');
    const domain = (g as { domain?: unknown }).domain;
    if (domain !== undefined && typeof domain !== 'string') throw new ModelError(`${at}.antiAffinity[${a}].domain`, `must be a label name, got ${describe(domain)}`);
  }
}

function* checkGraph(g: Record<string, unknown>, at: string): Steps<void> {
  const n = count(g, at, 'n');
  const m = count(g, at, 'm');
  stringList(g, at, 'ids', n);
  yield* indices(typed(g, at, 'edgeU', Int32Array, m), `${at}.edgeU`, n, 'node');
  yield* indices(typed(g, at, 'edgeV', Int32Array, m), `${at}.edgeV`, n, 'node');
  yield* values(typed(g, at, 'edgeW', Float64Array, m), `${at}.edgeW`, 'finite');
  const offsets = typed(g, at, 'offsets', Int32Array, n + 1)!;
  const adjacency = offsets[n]!;
  if (offsets[0] !== 0 || !(adjacency >= 0)) throw new ModelError(`${at}.offsets`, `must start at 0 and end at the adjacency length, got ${offsets[0]} .. ${adjacency}`);
  if (offsets.length <= SCAN_LIMIT) {
    for (let v = 0; v < n; v++) if (!(offsets[v + 1]! >= offsets[v]!)) throw new ModelError(`${at}.offsets[${v + 1}]`, `must not decrease, got ${offsets[v + 1]} after ${offsets[v]}`);
  }
  yield* indices(typed(g, at, 'adjNode', Int32Array, adjacency), `${at}.adjNode`, n, 'node');
  yield* indices(typed(g, at, 'adjEdge', Int32Array, adjacency), `${at}.adjEdge`, m, 'edge');
  yield* values(typed(g, at, 'adjWeight', Float64Array, adjacency), `${at}.adjWeight`, 'finite');
}

function* checkFlowNetwork(f: Record<string, unknown>, at: string): Steps<void> {
  const n = count(f, at, 'n');
  const m = count(f, at, 'm');
  stringList(f, at, 'ids', n);
  yield* indices(typed(f, at, 'tail', Int32Array, m), `${at}.tail`, n, 'node');
  yield* indices(typed(f, at, 'head', Int32Array, m), `${at}.head`, n, 'node');
  yield* values(typed(f, at, 'lower', Float64Array, m), `${at}.lower`, 'non-negative');
  yield* values(typed(f, at, 'capacity', Float64Array, m), `${at}.capacity`, 'non-negative-or-infinity');
  yield* values(typed(f, at, 'cost', Float64Array, m), `${at}.cost`, 'finite');
  yield* values(typed(f, at, 'supply', Float64Array, n), `${at}.supply`, 'finite');
}
