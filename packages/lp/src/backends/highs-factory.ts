import { BackendError } from '@emplace/core';

/** The loader highs.mjs exports: resolves to a HiGHS runtime. */
export interface HighsFactory {
  (settings?: { locateFile?: (file: string) => string }): Promise<unknown>;
}

function isFactory(v: unknown): v is HighsFactory {
  return typeof v === 'function';
}

/**
 * The loader from a HiGHS module's default export. highs ships CommonJS typings with
 * `export default`, which TypeScript (NodeNext) reads as `module.exports.default`, while
 * Node's ESM entry exports the loader itself as default: accept either shape.
 */
export function highsFactoryOf(entry: unknown): HighsFactory {
  if (isFactory(entry)) return entry;
  if (typeof entry === 'object' && entry !== null && 'default' in entry && isFactory(entry.default)) return entry.default;
  throw new BackendError('highs', 'the HiGHS module does not export a loader function');
}
