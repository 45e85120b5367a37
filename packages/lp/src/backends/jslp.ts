import { BackendError } from '@emplace/core';
import type { Backend } from '../backend.js';

export const jslpBackend: Backend = {
  name: 'jslp',
  capabilities: { name: 'jslp', bound: false, timeLimit: 'none', abort: 'before', warmStart: false, duals: false, progress: false, notes: 'not yet available' },
  solve() {
    return Promise.reject(new BackendError('jslp', 'backend not yet available'));
  },
};
