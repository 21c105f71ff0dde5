// Several tabs, one live session: the tab holding the leader lock polls Prometheus (and holds the
// credentials); it broadcasts every new frame, status and alert, and the other tabs apply them as if they
// had polled themselves. A tab that opens later asks for a snapshot.
import type { MetricFrame } from '../lib/frame/types.ts';
import type { Alert } from '../lib/live/alerts.ts';
import type { PackedSamples, SeriesId } from '../lib/live/packed.ts';

export interface LiveStatus {
  state: 'connecting' | 'live' | 'retrying' | 'stopped';
  /** The Prometheus URL, without credentials. */
  source: string;
  stepMs: number;
  /** Epoch ms of the last successful poll. */
  lastPoll: number | null;
  /** Samples received since connecting. */
  samples: number;
  message: string;
  /** Where the baseline came from (history read at a coarser step, or the live samples), in words. */
  baseline?: string;
}

/**
 * `history`: the baseline read at a coarser step; `frame` then holds the live samples alone. `table`: the live
 * series by index, which later appends name (their samples come packed: a fleet's poll as a frame of objects
 * took the page ~100 ms to clone).
 */
export type LiveMessage =
  | { type: 'hello' }
  | {
      type: 'snapshot';
      status: LiveStatus;
      frame: MetricFrame | null;
      origin: string;
      history?: MetricFrame | null;
      table: SeriesId[];
    }
  | { type: 'initial'; frame: MetricFrame; origin: string; history?: MetricFrame | null; table: SeriesId[] }
  | { type: 'append'; samples: PackedSamples }
  | { type: 'status'; status: LiveStatus }
  | { type: 'alerts'; alerts: Alert[] };

export const CHANNEL_NAME = 'aura-live';
export const LEADER_LOCK = 'aura-live-leader';

/** A typed BroadcastChannel. Messages posted here reach the other tabs of this origin, not this one. */
export class LiveChannel {
  readonly #channel: BroadcastChannel;

  constructor(onMessage: (message: LiveMessage) => void, name = CHANNEL_NAME) {
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (e: MessageEvent<LiveMessage>) => onMessage(e.data);
  }

  post(message: LiveMessage): void {
    this.#channel.postMessage(message);
  }

  close(): void {
    this.#channel.close();
  }
}

interface LockManagerLike {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void>): Promise<void>;
}

/**
 * Tries to become the one polling tab. Resolves true while holding the lock (released when `until` settles),
 * false when another tab already polls. Without the Web Locks API every tab leads.
 */
export function tryLead(until: Promise<void>, locks?: LockManagerLike, name = LEADER_LOCK): Promise<boolean> {
  if (!locks) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    locks
      .request(name, { ifAvailable: true }, async (lock) => {
        resolve(lock !== null);
        if (lock !== null) await until;
      })
      .catch(reject);
  });
}
