import { BackendError } from '@emplace/core';
import type { Backend } from '../backend.js';

export const glpkBackend: Backend = {
  name: 'glpk',
  capabilities: { name: 'glpk', bound: false, timeLimit: 'none', abort: 'before', warmStart: false, duals: false, progress: false, notes: 'not yet available' },
  solve() {
    return Promise.reject(new BackendError('glpk', 'backend not yet available'));
  },
};
