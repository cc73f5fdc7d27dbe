import { constants } from "node:os";

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Ctrl-C, SIGTERM or SIGHUP during a bench run: what was asked to stop, and how. */
export interface Interrupt {
  /** Aborted at the first signal: the load and a server still starting stop at once. */
  signal: AbortSignal;
  /** The first signal received, if any. */
  received(): NodeJS.Signals | undefined;
  /** Stop listening (the run is over). */
  dispose(): void;
}

/** The exit code of a process ended by `signal`, as shells report it: 128 + its number. */
export const signalExitCode = (signal: NodeJS.Signals) => 128 + constants.signals[signal];

/**
 * The first signal stops the run so the servers measured so far are still reported and the
 * server under load is stopped; a second one exits at once.
 */
export function listenForInterrupt(): Interrupt {
  const controller = new AbortController();
  let first: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first) process.exit(signalExitCode(signal));
    first = signal;
    controller.abort(signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    },
  };
}
