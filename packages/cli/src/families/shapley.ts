import { EmplaceError, FormatError, hasSolution, type GameModel, type Result, type SolveOptions } from '@emplace/core';
import { readTextFile } from '@emplace/io';
import {
  airportSolve,
  banzhafSolve,
  coreCheck,
  gameFromDocument,
  leastCore,
  nucleolus,
  shapleyAuto,
  shapleyExact,
  shapleySampling,
  votingPowerSolve,
  type GameDocument,
  type IntervalKind,
  type SamplingVariant,
} from '@emplace/mechanism';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';

/** Reads an emplace JSON file (one document, an array, or a collection) and returns the items of `kind`. */
export async function readMechanismDocuments(path: string, kind: 'game' | 'market'): Promise<{ doc: unknown; where: string; name: string }[]> {
  const text = await readTextFile(path);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`, { source: path });
  }
  let items: unknown[];
  if (Array.isArray(doc)) items = doc;
  else if (doc !== null && typeof doc === 'object' && (doc as Record<string, unknown>)['kind'] === 'collection') {
    const list = (doc as Record<string, unknown>)['items'];
    if (!Array.isArray(list)) throw new FormatError('a "collection" document needs an "items" array', { source: path });
    items = list;
  } else items = [doc];
  const base = (path.split('/').pop() ?? 'input').replace(/\.json(\.gz)?$/i, '');
  const out = items.flatMap((item, k) => {
    const where = items.length > 1 ? `items[${k}]` : 'document';
    const rec = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
    if (!rec) return [];
    // Documents without a "kind" are taken by their shape: players -> game, bids -> market.
    const shaped = rec['kind'] === undefined && (kind === 'game' ? rec['players'] !== undefined : rec['bids'] !== undefined);
    if (rec['kind'] !== kind && !shaped) return [];
    const name = typeof rec['name'] === 'string' ? rec['name'] : items.length > 1 ? `${base}-${k + 1}` : base;
    return [{ doc: item, where, name }];
  });
  if (out.length === 0) throw new FormatError(`holds no {"kind": "${kind}"} document (see docs/mechanism-formats.md)`, { source: path });
  return out;
}

/** Re-throws a model error with the item it came from, so the one-line CLI message locates it. */
export function located<T>(path: string, where: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof EmplaceError) throw new FormatError(`${where}: ${err.message}`, { source: path }, { cause: err });
    throw err;
  }
}

function numberExtra(args: CliArgs, name: string): number | undefined {
  const raw = args.extra[name];
  if (raw === undefined || raw === true) return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new FormatError(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return v;
}

const METHODS = ['auto', 'exact', 'sampling', 'antithetic', 'stratified', 'weighted-voting', 'airport', 'banzhaf', 'nucleolus', 'least-core'] as const;

/** The `shapley` family of `emplace solve`: Shapley / Banzhaf values, nucleolus and least core of a cooperative game. */
export const families: CliFamily[] = [
  {
    name: 'shapley',
    description: 'Fair shares of a cooperative game: Shapley (exact, sampled, structured), Banzhaf, nucleolus, least core',
    formats: ['emplace-json'],
    methods: METHODS,
    options: [
      { name: 'precision', type: 'number', min: 0, description: 'sampling: absolute half-width of the confidence interval to reach' },
      { name: 'relative-precision', type: 'number', min: 0, description: 'sampling: relative half-width to reach' },
      { name: 'confidence', type: 'number', min: 0, description: 'sampling: confidence level of the interval (e.g. 0.95)' },
      { name: 'range', type: 'number', min: 0, description: 'sampling: known range of marginal contributions (Hoeffding / Bernstein)' },
      { name: 'interval', type: 'string', choices: ['hoeffding', 'bernstein', 'normal'], description: 'sampling: kind of confidence interval' },
    ],
    async load(path: string): Promise<CliProblem[]> {
      const docs = await readMechanismDocuments(path, 'game');
      return docs.map(({ doc, where, name }) => {
        const g = located(path, where, () => gameFromDocument(doc, name));
        return { instance: g.name, model: g.game, params: { document: g } };
      });
    },
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const g = problem.params!['document'] as GameDocument;
      const game = problem.model as GameModel;
      const method = args.method ?? 'auto';
      const base: SolveOptions = {};
      if (args.timeLimitMs !== undefined) base.timeLimitMs = args.timeLimitMs;
      if (args.seed !== undefined) base.seed = args.seed;
      if (args.signal !== undefined) base.signal = args.signal;
      if (args.onProgress !== undefined) base.onProgress = args.onProgress;
      const sampling = {
        ...base,
        ...(numberExtra(args, 'precision') !== undefined ? { precision: numberExtra(args, 'precision')! } : {}),
        ...(numberExtra(args, 'relative-precision') !== undefined ? { relativePrecision: numberExtra(args, 'relative-precision')! } : {}),
        ...(numberExtra(args, 'confidence') !== undefined ? { confidence: numberExtra(args, 'confidence')! } : {}),
        ...(numberExtra(args, 'range') !== undefined ? { range: numberExtra(args, 'range')! } : {}),
        ...(typeof args.extra['interval'] === 'string' ? { interval: args.extra['interval'] as IntervalKind } : {}),
        ...(g.denominator !== undefined ? { denominator: g.denominator } : {}),
      };
      switch (method) {
        case 'auto':
          return shapleyAuto(game, sampling);
        case 'exact':
          return shapleyExact(game, sampling);
        case 'sampling':
        case 'antithetic':
        case 'stratified':
          return shapleySampling(game, { ...sampling, variant: (method === 'sampling' ? 'permutation' : method) as SamplingVariant });
        case 'weighted-voting':
          return votingPowerSolve(game, base);
        case 'airport':
          return airportSolve(game, base);
        case 'banzhaf':
          return banzhafSolve(game, { ...base, ...(g.denominator !== undefined ? { denominator: g.denominator } : {}) });
        case 'nucleolus':
          return nucleolus(game, { ...base, gameKind: g.gameKind });
        case 'least-core':
          return leastCore(game, { ...base, gameKind: g.gameKind });
        default:
          throw new FormatError(`--method must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
      }
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const g = problem.params!['document'] as GameDocument;
      const game = problem.model as GameModel;
      const out: Record<string, string | number | boolean | null> = { players: game.n, gameKind: g.gameKind };
      if (!hasSolution(result)) return out;
      const sol = result.solution as { players: readonly string[]; values: Float64Array; exact?: readonly string[]; halfWidth?: Float64Array; samples?: number; concept?: string };
      const shown = Math.min(sol.players.length, 12);
      const list = (f: (i: number) => string) => Array.from({ length: shown }, (_, i) => `${sol.players[i]}=${f(i)}`).join(' ') + (sol.players.length > shown ? ' ...' : '');
      if (sol.concept) out['concept'] = sol.concept;
      out['values'] = list((i) => formatShare(sol.values[i]!));
      if (sol.exact) out['exact'] = list((i) => sol.exact![i]!);
      if (sol.halfWidth) {
        let worst = 0;
        for (const h of sol.halfWidth) worst = Math.max(worst, h);
        out['maxHalfWidth'] = worst;
        out['samples'] = sol.samples ?? null;
      }
      if (game.n <= 20) {
        // Name the computed vector in any error: `allocation` would point at a field the input does not have.
        const report = coreCheck(game, sol.values, { gameKind: g.gameKind, tolerance: 1e-7, field: 'shapley values' });
        out['inCore'] = report.inCore;
      }
      if (g.allocation) out['allocationInCore'] = coreCheck(game, g.allocation, { gameKind: g.gameKind, tolerance: 1e-7 }).inCore;
      return out;
    },
  },
];

function formatShare(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(2) : v.toPrecision(6);
}
