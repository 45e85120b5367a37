import fc from 'fast-check';

// Property tests explore new random cases on every local run, but CI must be
// reproducible: there (CI set) or with FC_SEED given, every property uses that seed.
// A failure prints its seed and path; rerun with FC_SEED=<seed> to reproduce it.
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? 20261123 : undefined;
if (seed !== undefined && Number.isFinite(seed)) fc.configureGlobal({ seed });
