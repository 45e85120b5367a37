/**
 * SIGINT / SIGTERM as an abort: the first signal aborts the controller (the solver returns
 * its incumbent, the CLI prints it); the listeners are then removed, so a second signal gets
 * the default action and ends the process at once, even while a solver holds the event loop.
 */
export function abortOnSignals(controller: AbortController, onFirst?: (signal: NodeJS.Signals) => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  const handler = (sig: NodeJS.Signals) => {
    remove();
    onFirst?.(sig);
    controller.abort(new Error(`${sig} received`));
  };
  const remove = () => {
    for (const s of signals) process.removeListener(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return remove;
}
