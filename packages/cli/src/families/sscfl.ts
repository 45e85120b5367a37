import type { PlacementModel, Result } from '@emplace/core';
import { SSCFL_METHODS, solveSscfl } from '@emplace/facility';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { CAPACITY_OPTION } from '../family.js';
import { describeFacility, facilityOptions, loadCap } from './ufl.js';

/** `emplace solve sscfl <cap file> [--capacity N]`: single-source capacitated facility location. */
export const families: CliFamily[] = [
  {
    name: 'sscfl',
    description: 'single-source capacitated facility location (OR-Library cap files; --capacity N for capa/capb/capc)',
    formats: ['orlib-cap'],
    methods: [...SSCFL_METHODS],
    options: [CAPACITY_OPTION],
    load: loadCap,
    solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      return solveSscfl(problem.model as PlacementModel, facilityOptions(args));
    },
    describe: describeFacility,
  },
];
