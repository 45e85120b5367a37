/**
 * Lowers the scheduling priority of the calling thread (a solver worker) by `nice` steps.
 *
 * Linux only: there `setpriority(PRIO_PROCESS, tid)` applies to one thread, and a worker
 * finds its thread id in /proc/thread-self. Elsewhere (macOS, Windows, browsers) the same
 * call would renice the whole process, host included, so nothing is done. Best effort: a
 * failure (no /proc, a sandbox that forbids it) leaves the priority as it was.
 * Resolves to the thread's new nice value, or undefined when it was left alone.
 */
export async function lowerThreadPriority(nice: number): Promise<number | undefined> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (!(nice > 0) || !isNode || process.platform !== 'linux') return undefined;
  try {
    const { readlinkSync } = await import('node:fs');
    const { getPriority, setPriority } = await import('node:os');
    // "/proc/<pid>/task/<tid>"
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return undefined;
    const target = Math.min(19, getPriority(tid) + nice);
    setPriority(tid, target);
    return getPriority(tid);
  } catch {
    return undefined;
  }
}
