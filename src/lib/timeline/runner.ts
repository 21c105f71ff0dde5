// The boundary between the timeline driver and whatever computes windows: in-process (tests, small
// inputs), a Node worker_threads pool (CLI), or a Web Worker pool (app). Requests and responses hold only
// typed arrays and plain objects, so any of them can be posted to a worker.
import type { Diagram } from '../tda/types.ts';
import type { Topology } from './topology.ts';
import {
  attributeWindow,
  computeWindow,
  diagramDistances,
  leaveKey,
  pairwiseDistances,
  type WindowDistances,
  type WindowConfig,
  type WindowResult,
  type WindowTask,
} from './window.ts';
import { joinHeightsBatch } from '../cloud/linkage.ts';

export type RunnerRequest =
  /**
   * Compute each window, with distances to `baseline` when given. A window with columns left out is
   * compared with `baselines[leaveKey(leaveOut)]`, the reference computed with the same columns left out.
   */
  | {
      kind: 'windows';
      config: WindowConfig;
      tasks: WindowTask[];
      baseline: Diagram[] | null;
      baselines?: Record<string, Diagram[]>;
    }
  /** Per-dimension W2 and bottleneck from each diagram list to `baseline`. */
  | { kind: 'distances'; sets: Diagram[][]; baseline: Diagram[] }
  /** Combined W2 between every pair of diagram lists (baseline medoid). */
  | { kind: 'pairwise'; sets: Diagram[][] }
  /** Leave-one-series-out distances between a peak window and the reference window. */
  | { kind: 'attribute'; config: WindowConfig; peak: WindowTask; reference: WindowTask }
  /** Peer scores' single-linkage heights (cloud/linkage.ts) of windows × n points in R^d. */
  | { kind: 'heights'; points: Float64Array; n: number; d: number };

export interface RunnerResponses {
  windows: WindowResult[];
  distances: WindowDistances[];
  pairwise: Float64Array;
  attribute: Float64Array;
  heights: Float64Array;
}

export type ResponseOf<R extends RunnerRequest> = RunnerResponses[R['kind']];

export interface WindowRunner {
  /** Requests the runner can work on at once (the driver keeps about twice this many in flight). */
  readonly concurrency: number;
  run<R extends RunnerRequest>(request: R, signal?: AbortSignal): Promise<ResponseOf<R>>;
  close(): Promise<void>;
}

/** Answers one request: what every runner, and every worker, ultimately calls. */
export function handleRequest(topology: Topology, request: RunnerRequest): ResponseOf<RunnerRequest> {
  switch (request.kind) {
    case 'windows':
      return packDiagrams(computeWindows(topology, request));
    case 'distances':
      return request.sets.map((set) => diagramDistances(topology, set, request.baseline));
    case 'pairwise':
      return pairwiseDistances(topology, request.sets);
    case 'attribute':
      return attributeWindow(topology, request.config, request.peak, request.reference);
    case 'heights':
      return joinHeightsBatch(request.points, request.n, request.d, topology.spanningTree);
  }
}

/** A 'windows' request's results, each with its own diagram arrays. */
export function computeWindows(topology: Topology, request: RunnerRequest & { kind: 'windows' }): WindowResult[] {
  return request.tasks.map((t) =>
    computeWindow(topology, request.config, t, request.baselines?.[leaveKey(t.leaveOut)] ?? request.baseline),
  );
}

/**
 * Moves every diagram of a batch into views of one buffer: posting one buffer back costs far less than
 * posting four small ones per window.
 */
export function packDiagrams(results: WindowResult[]): WindowResult[] {
  let length = 0;
  for (const r of results) for (const d of r.diagrams) length += d.births.length + d.deaths.length;
  const buffer = new Float64Array(length);
  let at = 0;
  const view = (xs: Float64Array) => {
    const v = buffer.subarray(at, at + xs.length);
    v.set(xs);
    at += xs.length;
    return v;
  };
  for (const r of results)
    r.diagrams = r.diagrams.map((d) => ({ dim: d.dim, births: view(d.births), deaths: view(d.deaths) }));
  return results;
}

/** Buffers a response owns, to transfer instead of copying when it is posted back. */
export function transferablesOf(response: ResponseOf<RunnerRequest>): ArrayBuffer[] {
  if (response instanceof Float64Array) return [response.buffer as ArrayBuffer];
  const out: ArrayBuffer[] = [];
  for (const r of response) {
    if (!('diagrams' in r)) continue;
    for (const d of r.diagrams) out.push(d.births.buffer as ArrayBuffer, d.deaths.buffer as ArrayBuffer);
  }
  return [...new Set(out)];
}

/** Buffers of a request that the sender gives up (window blocks and points are built per request). */
export function requestTransferables(request: RunnerRequest): ArrayBuffer[] {
  if (request.kind === 'heights') return [request.points.buffer as ArrayBuffer];
  if (request.kind !== 'windows') return [];
  return [...new Set(request.tasks.map((t) => t.block.buffer as ArrayBuffer))];
}

/** Runs requests on the calling thread, one at a time. */
export class InProcessRunner implements WindowRunner {
  readonly concurrency = 1;
  constructor(private readonly topology: Topology) {}

  async run<R extends RunnerRequest>(request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    signal?.throwIfAborted();
    return handleRequest(this.topology, request) as ResponseOf<R>;
  }

  async close(): Promise<void> {}
}
