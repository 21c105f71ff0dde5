// One long task at a time (import, timeline, inference): its progress, and a way to cancel it.
export interface Progress {
  /** What is running, for the progress bar's label: "Importing metrics.csv". */
  task: string;
  done: number;
  /** 0 when the total is not known yet (an indeterminate bar). */
  total: number;
}

export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

export function isCancelled(e: unknown): boolean {
  return e instanceof CancelledError || (e instanceof Error && e.name === 'AbortError');
}

/** Words for an error the user can act on; the message of our own errors already says what to do. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
