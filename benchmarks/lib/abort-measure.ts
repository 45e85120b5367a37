/** Shared measurement pieces of the abort-latency benchmarks. */

/** The q-quantile (nearest rank) of `xs`; NaN when empty. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

/** The longest gap between turns of the event loop while `fn` runs (a 1 ms timer chain). */
export async function withStallMonitor<T>(fn: () => Promise<T>): Promise<{ value: T; stall: number }> {
  let last = performance.now();
  let maxGap = 0;
  let ticker: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    const t = performance.now();
    maxGap = Math.max(maxGap, t - last - 1);
    last = t;
    ticker = setTimeout(tick, 1);
  };
  ticker = setTimeout(tick, 1);
  try {
    const value = await fn();
    maxGap = Math.max(maxGap, performance.now() - last - 1);
    return { value, stall: maxGap };
  } finally {
    clearTimeout(ticker);
  }
}
