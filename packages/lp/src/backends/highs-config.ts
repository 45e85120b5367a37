/** Version of the `highs` package @emplace/lp depends on (browsers load this one by default). */
export const HIGHS_VERSION = '1.15.3';

/** Where HiGHS (WebAssembly) is loaded from. */
export interface HighsLocation {
  /**
   * URL of highs.mjs. Node: default the installed `highs` package. Browsers: default
   * `https://cdn.jsdelivr.net/npm/highs@<version>/build/highs.mjs`; to serve it yourself,
   * copy `node_modules/highs/build/highs.mjs` and `highs.wasm` to your static files.
   */
  moduleUrl?: string;
  /** URL of highs.wasm. Default: next to highs.mjs (e.g. Vite: `import wasm from 'highs/runtime?url'`). */
  wasmUrl?: string;
}

let location: HighsLocation = {};

/**
 * Sets where HiGHS is loaded from, before the first HiGHS solve (a runtime already loaded
 * is dropped, so the next solve uses the new location).
 */
export function configureHighs(where: HighsLocation): void {
  location = { ...where };
  onChange?.();
}

/** The current location (what `configureHighs` set). */
export function highsConfig(): Readonly<HighsLocation> {
  return location;
}

let onChange: (() => void) | undefined;

/** Internal: highs.ts drops its runtime when the location changes. */
export function onHighsConfigChange(f: () => void): void {
  onChange = f;
}
