import { ModelError } from './errors.js';

/**
 * Memory budget of one solver call, in bytes (default 2 GiB). Entry points estimate the
 * working memory they will allocate (dense sites x clients matrices, n^2 closures,
 * Laplacians, MIP matrices) BEFORE allocating it, and refuse larger inputs with a
 * ModelError naming the size and the limit, instead of growing until the process dies
 * (a 20,000 x 20,000 UFL grew to 11.7 GB). Per call: `options.maxMemoryBytes`;
 * process-wide: `setMemoryLimit()`.
 */
export const DEFAULT_MAX_MEMORY_BYTES = 2 * 1024 ** 3;

let processLimit = DEFAULT_MAX_MEMORY_BYTES;

/** Sets the process-wide default budget (bytes; Infinity disables the guard). Returns the previous one. */
export function setMemoryLimit(bytes: number): number {
  if (!(bytes > 0)) throw new ModelError('memoryLimit', `must be a positive number of bytes, got ${String(bytes)}`);
  const prev = processLimit;
  processLimit = bytes;
  return prev;
}

/** The budget in force: the call's `maxMemoryBytes`, else the process-wide one. */
export function memoryLimit(options?: { maxMemoryBytes?: number | undefined }): number {
  const own = options?.maxMemoryBytes;
  if (own !== undefined && !(own > 0)) throw new ModelError('options.maxMemoryBytes', `must be a positive number of bytes, got ${String(own)}`);
  return own ?? processLimit;
}

function human(bytes: number): string {
  // A count such as samples = 1e308 overflows the estimate: say what that means, not "Infinity".
  if (!Number.isFinite(bytes)) return 'more memory than any machine has';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 && u > 0 ? 1 : 0)} ${units[u]}`;
}

/**
 * Throws a ModelError when `bytes` (the estimate of what `method` will allocate for
 * `what`, e.g. "a 20000 x 20000 cost matrix (3 copies)") exceeds the budget. `field` names
 * the input that drives the size (default `model`; e.g. `options.samples` when a requested
 * count, not the model, is what is too large).
 */
export function checkMemory(method: string, what: string, bytes: number, options?: { maxMemoryBytes?: number | undefined }, field = 'model'): void {
  const limit = memoryLimit(options);
  if (bytes > limit) {
    throw new ModelError(
      field,
      `is too large for ${method}: ${what} needs about ${human(bytes)}, above the memory limit of ${human(limit)} (raise options.maxMemoryBytes or setMemoryLimit(), or reduce the input)`,
    );
  }
}
