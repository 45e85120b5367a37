import type { PlacementModel, Result } from '@emplace/core';
import { CFL_METHODS, solveCfl } from '@emplace/facility';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { CAPACITY_OPTION } from '../family.js';
import { describeFacility, facilityOptions, loadCap } from './ufl.js';

/** `emplace solve cfl <cap file> [--capacity N]`: split-demand capacitated facility location. */
export const families: CliFamily[] = [
  {
    name: 'cfl',
    description: 'capacitated facility location, split demand (OR-Library cap files; --capacity N for capa/capb/capc)',
    formats: ['orlib-cap'],
    methods: [...CFL_METHODS],
    options: [CAPACITY_OPTION],
    load: loadCap,
    solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      return solveCfl(problem.model as PlacementModel, facilityOptions(args));
    },
    describe: describeFacility,
  },
];
