import { describe, expect, it } from 'vitest';
import { compileWasmInBackground, instantiateWasmKernel, wasmCompilesSettled, wasmModule } from '../src/index.js';

/** An empty module with one exported function `one` returning the i32 given (distinct bytes per value). */
function moduleReturning(value: number): string {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: () -> i32
    0x03, 0x02, 0x01, 0x00, // function section
    0x07, 0x07, 0x01, 0x03, 0x6f, 0x6e, 0x65, 0x00, 0x00, // export "one"
    0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, value & 0x3f, 0x0b, // code: i32.const value
  ];
  return Buffer.from(bytes).toString('base64');
}

const call = (mod: WebAssembly.Module | null): unknown => (new WebAssembly.Instance(mod!).exports['one'] as () => number)();

describe('shared WebAssembly module cache (the kernels of facility and spectral)', () => {
  it('compiles a module once per process and gives the same module to every caller', () => {
    const b = moduleReturning(7);
    const first = wasmModule(b);
    expect(first).toBeInstanceOf(WebAssembly.Module);
    expect(wasmModule(b)).toBe(first);
    expect(call(first)).toBe(7);
  });

  it('invalid bytes give null (the caller runs its TypeScript kernels), and stay null', () => {
    const bad = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x09, 0x00, 0x00, 0x00]).toString('base64');
    expect(wasmModule(bad)).toBeNull();
    expect(wasmModule(bad)).toBeNull();
  });

  it('a background compile is what a later solve takes; settled waits only for the modules asked about', async () => {
    const b = moduleReturning(11);
    const other = moduleReturning(12);
    compileWasmInBackground([b]);
    expect(wasmCompilesSettled([other])).toBeUndefined();
    const settling = wasmCompilesSettled([b]);
    expect(settling).toBeInstanceOf(Promise);
    await settling;
    expect(wasmCompilesSettled([b])).toBeUndefined();
    const mod = wasmModule(b);
    expect(call(mod)).toBe(11);
    // Started again: nothing new to compile.
    compileWasmInBackground([b]);
    expect(wasmCompilesSettled([b])).toBeUndefined();
    expect(wasmModule(b)).toBe(mod);
  });

  it('a kernel instance lays its arrays out 8-byte aligned after a header of their offsets, and refuses more than 1 GiB', () => {
    const mod = wasmModule(moduleReturning(5))!;
    const k = instantiateWasmKernel([mod], ['a', 'b', 'c'] as const, { a: 12, b: 3, c: 16 })!;
    expect(Array.from(k.header)).toEqual([16, 32, 40]);
    const a = k.f64('a', 1);
    a[0] = 2.5;
    expect(new Float64Array(a.buffer, 16, 1)[0]).toBe(2.5);
    expect(k.i32('c', 4).byteOffset).toBe(40);
    expect((k.exports[0]!['one'] as () => number)()).toBe(5);
    expect(instantiateWasmKernel([mod], ['a'] as const, { a: 2 ** 30 })).toBeNull();
  });
});
