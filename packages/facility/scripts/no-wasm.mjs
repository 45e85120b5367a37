// Preload that removes the WebAssembly global, so that a process runs the TypeScript fallback of
// every WebAssembly kernel (what a page whose content security policy refuses WebAssembly gets).
// For before/after measurements: `NODE_OPTIONS="--import ./packages/facility/scripts/no-wasm.mjs"`
// (benchmarks/facility/small.ts --no-wasm sets it for its CLI processes).
delete globalThis.WebAssembly;
