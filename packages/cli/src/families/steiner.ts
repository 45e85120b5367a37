import type { CliFamily } from '../family.js';

/** The `steiner` family of `emplace solve` (not yet implemented: filled in by its solver package's issue). */
export const families: CliFamily[] = [];
