// The live source worker (see api.ts): one session at a time, its PrometheusClient, series table and poller.
// Updates go to the page packed, their buffers transferred; errors go as the client's messages.
import { expose, transfer } from 'comlink';
import { PrometheusClient, type RangeQuery } from '../../lib/prometheus/index.ts';
import { Poller, type LiveUpdate } from '../../lib/live/poller.ts';
import { pack, packedBuffers, packedSteps, SeriesTable, type PackedSamples } from '../../lib/live/packed.ts';
import type { LiveSourceApi, SourceOptions, SourceUpdate } from './api.ts';

interface Session {
  id: number;
  client: PrometheusClient;
  table: SeriesTable;
  stop: AbortController;
  updates?: AsyncGenerator<LiveUpdate>;
  /** The last poll's start and end (see SourceUpdate). */
  polledAt: number;
  readAt: number;
}

let current: Session | null = null;

function session(id: number): Session {
  if (!current || current.id !== id) throw new Error('this live connection was closed');
  return current;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Now, in ms since the epoch with the clock's fraction: comparable across the page and its workers. */
const now = () => performance.timeOrigin + performance.now();

function sent(samples: PackedSamples): PackedSamples {
  return transfer(samples, packedBuffers(samples));
}

const api: LiveSourceApi = {
  async connect(id, options: SourceOptions) {
    current?.stop.abort();
    const client = new PrometheusClient(options);
    const s: Session = { id, client, table: new SeriesTable(), stop: new AbortController(), polledAt: 0, readAt: 0 };
    current = s;
    return client.buildInfo({ signal: s.stop.signal });
  },

  async history(id, queries: RangeQuery[], range) {
    const s = session(id);
    const frame = await s.client.rangeFrame(queries, { ...range, signal: s.stop.signal });
    return sent(pack(frame, s.table));
  },

  poll(id, queries, { stepMs, lookbackMs }) {
    const s = session(id);
    const poller = new Poller({
      stepMs,
      lookbackMs,
      fetchRange: async (r, signal) => {
        s.polledAt = now();
        const frame = await s.client.rangeFrame(queries, { start: r.start, end: r.end, stepMs: r.stepMs, signal });
        s.readAt = now();
        return frame;
      },
    });
    s.updates = poller.updates(s.stop.signal);
  },

  async next(id): Promise<SourceUpdate> {
    const s = current?.id === id ? current : null;
    if (!s?.updates || s.stop.signal.aborted) return { kind: 'done' };
    const r = await s.updates.next();
    if (r.done || s.stop.signal.aborted) return { kind: 'done' };
    const u = r.value;
    if (u.kind === 'error') return { kind: 'error', message: message(u.error), retryInMs: u.retryInMs };
    const samples = pack(u.frame, s.table);
    const update = {
      kind: u.kind,
      samples,
      range: u.range,
      count: samples.timestamps.length,
      steps: packedSteps(samples),
      polledAt: s.polledAt,
      readAt: s.readAt,
    };
    return transfer(update, packedBuffers(samples));
  },

  stop(id) {
    if (current?.id !== id) return;
    current.stop.abort();
    current = null;
  },
};

expose(api);
