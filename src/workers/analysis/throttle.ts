// Progress for the page at a few messages a second: each one repaints the page while the workers need the cores.

interface Throttled<T> {
  push(value: T): void;
  /** Drops what is held back: nothing is sent after this (the receiver may be gone). */
  stop(): void;
}

/**
 * Calls `send` at most once per `ms`. A value pushed too soon is held back and the latest held is sent when
 * its turn comes, so the last state is not lost in a pause.
 */
export function throttled<T>(send: (value: T) => void, ms: number, now = () => performance.now()): Throttled<T> {
  let shown = -Infinity;
  let held: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const flush = (value: T) => {
    clearTimeout(timer);
    held = null;
    shown = now();
    send(value);
  };
  return {
    push(value) {
      if (stopped) return;
      const wait = shown + ms - now();
      if (wait <= 0) return flush(value);
      if (!held) timer = setTimeout(() => held && flush(held.value), wait);
      held = { value };
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      held = null;
    },
  };
}
