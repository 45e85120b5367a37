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

/** Kernel modules instantiated over one memory: their exports (in order), the header, and views of the arrays by name. */
export interface WasmKernelInstance<K extends string> {
  exports: WebAssembly.Exports[];
  /** One i32 per header name, holding that array's byte offset (the kernel reads them there). */
  header: Int32Array;
  f64(name: K, length: number): Float64Array;
  i32(name: K, length: number): Int32Array;
  u8(name: K, length: number): Uint8Array;
  i8(name: K, length: number): Int8Array;
}

/** Largest memory a kernel instance asks for (bytes); a larger problem runs the TypeScript kernels. */
const MAX_KERNEL_BYTES = 1 << 30;

/**
 * Instantiates the modules over one fresh memory holding the arrays of `bytes`, in `header`
 * order, each 8-byte aligned, after a header of one i32 per name that receives the arrays'
 * offsets. The memory is sized once and never grown (growing would detach the views the
 * caller keeps). `linkAs` names the modules whose exports the later ones import. Null when
 * the kernels cannot run here (the caller then runs its TypeScript ones).
 */
export function instantiateWasmKernel<K extends string>(
  modules: readonly WebAssembly.Module[],
  header: readonly K[],
  bytes: Record<K, number>,
  linkAs: readonly string[] = [],
): WasmKernelInstance<K> | null {
  const offsets = {} as Record<K, number>;
  let at = 8 * Math.ceil((4 * header.length) / 8);
  for (const name of header) {
    offsets[name] = at;
    at += 8 * Math.ceil(bytes[name] / 8);
  }
  if (!(at <= MAX_KERNEL_BYTES)) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(at / 65536) });
    // Each module may import the exports of the modules before it, under their linkAs names.
    const imports: WebAssembly.Imports = { env: { memory } };
    const exports: WebAssembly.Exports[] = [];
    modules.forEach((mod, k) => {
      const ex = new WebAssembly.Instance(mod, imports).exports;
      exports.push(ex);
      const name = linkAs[k];
      if (name) imports[name] = ex;
    });
    const buf = memory.buffer;
    const headerView = new Int32Array(buf, 0, header.length);
    header.forEach((name, k) => {
      headerView[k] = offsets[name];
    });
    return {
      exports,
      header: headerView,
      f64: (name, length) => new Float64Array(buf, offsets[name], length),
      i32: (name, length) => new Int32Array(buf, offsets[name], length),
      u8: (name, length) => new Uint8Array(buf, offsets[name], length),
      i8: (name, length) => new Int8Array(buf, offsets[name], length),
    };
  } catch {
    return null;
  }
}
