import { ModelError, type PlacementModel, type Result } from '@emplace/core';
import { PMEDIAN_METHODS, solvePMedian } from '@emplace/facility';
import { readOrlibPmed, readTextFile } from '@emplace/io';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { K_OPTION } from '../family.js';
import { describeFacility, facilityOptions, instanceName } from './ufl.js';

/** `emplace solve pmedian <pmed file> [--k P]`: p-median on OR-Library pmed files (--k overrides p). */
export const families: CliFamily[] = [
  {
    name: 'pmedian',
    description: 'p-median (OR-Library pmed files; --k overrides p)',
    formats: ['orlib-pmed'],
    methods: [...PMEDIAN_METHODS],
    options: [K_OPTION],
    async load(path: string, args: CliArgs): Promise<CliProblem[]> {
      const text = await readTextFile(path);
      const inst = readOrlibPmed(text, { name: instanceName(path) });
      const p = args.k ?? inst.p;
      if (!Number.isInteger(p) || p < 1) throw new ModelError('--k', `must be a positive integer, got ${String(p)}`);
      return [{ instance: inst.name, model: inst.model, params: { p } }];
    },
    solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const p = problem.params?.['p'] as number;
      return solvePMedian(problem.model as PlacementModel, { ...facilityOptions(args), p });
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      return { p: problem.params?.['p'] as number, ...describeFacility(problem, result) };
    },
  },
];
