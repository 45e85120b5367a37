import { describe, ModelError, type Result } from '@emplace/core';
import { solveMcfApprox, type GargKonemannOptions } from './garg-konemann.js';
import { solveMcfLp, type McfLpOptions, type McfSolution } from './mcf-lp.js';
import type { McfProblem } from './traffic.js';

/** The methods of the 'mcf' family. */
export type McfMethod = 'auto' | 'lp' | 'concurrent-lp' | 'garg-konemann';

export const MCF_METHODS: readonly McfMethod[] = ['auto', 'lp', 'concurrent-lp', 'garg-konemann'];

export interface McfOptions extends Omit<McfLpOptions, 'objective' | 'method'>, Omit<GargKonemannOptions, 'method'> {
  /**
   * `lp` / `auto`: min-cost routing of every demand by the arc LP (exact); `concurrent-lp`:
   * maximum concurrent flow by the arc LP (exact); `garg-konemann`: maximum concurrent
   * flow within (1 - eps)^-3 with a proven bound, for graphs too large for the LP.
   */
  method?: McfMethod | undefined;
}

/**
 * Multi-commodity flow (family 'mcf'), the method in options.method (default `auto` =
 * min-cost `lp`). The one entry point; `solveMcfLp` and `solveMcfApprox` are the methods.
 */
export function solveMcf(problem: McfProblem, options: McfOptions = {}): Promise<Result<McfSolution>> {
  const { method = 'auto', ...rest } = options;
  switch (method) {
    case 'auto':
    case 'lp':
      return solveMcfLp(problem, { ...rest, objective: 'min-cost' });
    case 'concurrent-lp':
      return solveMcfLp(problem, { ...rest, objective: 'max-concurrent' });
    case 'garg-konemann':
      return solveMcfApprox(problem, rest);
    default:
      return Promise.reject(new ModelError('options.method', `must be one of ${MCF_METHODS.join(', ')}, got ${describe(method)}`));
  }
}
