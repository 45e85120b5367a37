/**
 * Hands control back to the event loop for one turn, so that timers (an AbortSignal.timeout,
 * a watch loop, a health check) and I/O run. A resolved promise is not enough: microtasks
 * run before timers, so `await Promise.resolve()` never lets a timer fire.
 *
 * Node: setImmediate runs after the poll phase, so pending timers and I/O get their turn.
 * Browsers and workers: a MessageChannel message is a macrotask without setTimeout's
 * 4 ms clamp. Elsewhere: setTimeout(0).
 */
export const yieldToEventLoop: () => Promise<void> = (() => {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') {
    const si = g.setImmediate;
    return () => new Promise<void>((resolve) => void si(resolve));
  }
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    const queue: (() => void)[] = [];
    channel.port1.onmessage = () => queue.shift()?.();
    return () =>
      new Promise<void>((resolve) => {
        queue.push(resolve);
        channel.port2.postMessage(0);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();
