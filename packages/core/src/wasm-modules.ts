/**
 * Compiled WebAssembly modules of the packages' kernels (facility's knapsack, selection,
 * ascent and transportation; spectral's ordering and Cholesky), shared so that each
 * package keeps only its own instances and memory layout. A module is compiled once per
 * process from the base64 text its package commits: off the main thread as soon as the
 * package loads (`compileWasmInBackground`), or synchronously when a solve needs it first.
 * Not a user-facing API: the kernel packages call it.
 */

const compiled = new Map<string, WebAssembly.Module | null>();
/** Background compiles not settled yet, by module (see wasmCompilesSettled). */
const pending = new Map<string, Promise<void>>();

const hasWebAssembly = (): boolean => typeof WebAssembly === 'object';

/** The bytes of base64 text: Node's native decoder where present (in a fresh process the loop below runs interpreted, ~1.5 ms for three modules). */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer === 'function') return new Uint8Array(Buffer.from(text, 'base64'));
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) out[k] = bin.charCodeAt(k);
  return out;
}

/**
 * The compiled module of `base64`; null where WebAssembly is missing or refused (a content
 * security policy), or where this thread may not compile it synchronously (browsers refuse
 * modules above 4 kB on the main thread): that refusal is not remembered, so a later solve
 * takes the module once its background compile has finished.
 */
export function wasmModule(base64: string): WebAssembly.Module | null {
  const known = compiled.get(base64);
  if (known !== undefined) return known;
  if (!hasWebAssembly()) return null;
  try {
    const mod = new WebAssembly.Module(decodeBase64(base64));
    compiled.set(base64, mod);
    return mod;
  } catch (e) {
    // A RangeError is the main thread's size limit (the background compile may still succeed);
    // anything else (a CompileError, a refusal) holds for every later call too.
    if (!(e instanceof RangeError)) compiled.set(base64, null);
    return null;
  }
}

/** Starts compiling the modules off the main thread, so that the first solve finds them compiled. */
export function compileWasmInBackground(base64: readonly string[]): void {
  if (!hasWebAssembly() || typeof WebAssembly.compile !== 'function') return;
  for (const b of base64) {
    if (compiled.has(b) || pending.has(b)) continue;
    const job: Promise<void> = WebAssembly.compile(decodeBase64(b)).then(
      (mod) => {
        if (!compiled.get(b)) compiled.set(b, mod);
      },
      () => undefined,
    );
    pending.set(b, job);
    void job.finally(() => pending.delete(b));
  }
}

/** Settles when the background compiles of these modules have (undefined: none of them pending). */
export function wasmCompilesSettled(base64: readonly string[]): Promise<void> | undefined {
  const jobs = base64.flatMap((b) => pending.get(b) ?? []);
  return jobs.length === 0 ? undefined : Promise.all(jobs).then(() => undefined);
}
