import { FormatError, hasSolution, type MarketModel, type Result, type SolveOptions } from '@emplace/core';
import { marketFromDocument, mcafeeDoubleAuction, sealedBidAuction, uniformPriceAuction, vcgAuction, type AuctionOutcome, type SingleItemOptions, type UniformPriceOptions } from '@emplace/mechanism';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { located, readMechanismDocuments } from './shapley.js';

const METHODS = ['auto', 'clarke', 'first-price', 'second-price', 'uniform-price', 'mcafee'] as const;

/** The `vcg` family of `emplace solve`: VCG for combinatorial bids, and the single-item / multi-unit / double auctions. */
export const families: CliFamily[] = [
  {
    name: 'vcg',
    description: 'Auctions on a market: VCG with Clarke payments for XOR/OR bundle bids (exact MIP), first/second price, uniform price, McAfee double auction',
    formats: ['emplace-json'],
    methods: METHODS,
    options: [
      { name: 'item', type: 'string', description: 'single-item auctions: the item sold (default: the file\'s)' },
      { name: 'reserve', type: 'number', description: 'single-item auctions: reserve price' },
      { name: 'pricing', type: 'string', choices: ['first-rejected', 'last-accepted'], description: 'uniform-price auction: clearing price rule' },
    ],
    async load(path: string): Promise<CliProblem[]> {
      const docs = await readMechanismDocuments(path, 'market');
      return docs.map(({ doc, where, name }) => {
        const m = located(path, where, () => marketFromDocument(doc, name));
        return { instance: m.name, model: m.market, params: m.options };
      });
    },
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const market = problem.model as MarketModel;
      const base: SolveOptions = {};
      if (args.timeLimitMs !== undefined) base.timeLimitMs = args.timeLimitMs;
      if (args.seed !== undefined) base.seed = args.seed;
      if (args.signal !== undefined) base.signal = args.signal;
      if (args.onProgress !== undefined) base.onProgress = args.onProgress;
      const p = problem.params ?? {};
      const single: SingleItemOptions = { ...base };
      const item = typeof args.extra['item'] === 'string' ? args.extra['item'] : p['item'];
      if (typeof item === 'string') single.item = item;
      const reserve = args.extra['reserve'] !== undefined ? Number(args.extra['reserve']) : p['reserve'];
      if (reserve !== undefined) single.reserve = reserve as number;
      const method = args.method ?? 'auto';
      switch (method) {
        case 'auto':
        case 'clarke':
          return vcgAuction(market, base);
        case 'first-price':
          return sealedBidAuction(market, 'first', single);
        case 'second-price':
          return sealedBidAuction(market, 'second', single);
        case 'uniform-price': {
          const pricing = (typeof args.extra['pricing'] === 'string' ? args.extra['pricing'] : p['pricing']) as UniformPriceOptions['pricing'];
          return uniformPriceAuction(market, { ...single, ...(pricing ? { pricing } : {}) });
        }
        case 'mcafee':
          return mcafeeDoubleAuction(market, single);
        default:
          throw new FormatError(`--method must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
      }
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const market = problem.model as MarketModel;
      const out: Record<string, string | number | boolean | null> = { items: market.items.length, bidders: market.bidders.length, bids: market.bids.length };
      if (!hasSolution(result)) return out;
      const s = result.solution as AuctionOutcome;
      out['winners'] = s.winningBids.length;
      out['welfare'] = s.welfare;
      out['revenue'] = s.revenue;
      out['individuallyRational'] = s.individuallyRational;
      out['budgetBalanced'] = s.budgetBalanced;
      if (s.price !== undefined) out['price'] = s.price;
      const paying = s.bidders.map((b, i) => [b, s.payments[i]!] as const).filter(([, x]) => x !== 0);
      out['payments'] = paying.slice(0, 12).map(([b, x]) => `${b}=${Number.isInteger(x) ? x : x.toPrecision(6)}`).join(' ') + (paying.length > 12 ? ' ...' : '');
      return out;
    },
  },
];
