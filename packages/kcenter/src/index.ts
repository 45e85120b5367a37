import './register.js';

export type { KCenterOptions, KCenterSolution } from './types.js';
export type { KCenterResult } from './common.js';
export { gonzalez } from './gonzalez.js';
export { hochbaumShmoys } from './hochbaum-shmoys.js';
export { localSearch } from './local-search.js';
export { exact } from './exact.js';
export { outliersGreedy } from './outliers.js';
export { capacitatedGreedy } from './capacitated.js';
export { auto } from './auto.js';
export { kcenterRadius } from './radius.js';
