// Adapts PHEngine (and the timeline's cloud builder) to messages: the page never blocks on a persistence
// computation.
import { expose, transfer } from 'comlink';
import { loadAuraBrowser } from '../../browser/wasm.ts';
import { PHEngine } from '../../lib/tda/engine.ts';
import { buildCloud } from '../../lib/timeline/window.ts';
import { bettiCurve, landscapes, linearGrid, persistenceEntropy } from '../../lib/tda/summaries.ts';
import type { Diagram, PHResult } from '../../lib/tda/types.ts';
import type { Cloud } from '../../lib/cloud/state.ts';
import type { DiagramSummaries, EngineApi, WindowTopology } from './api.ts';

const GRID_POINTS = 120;
const LANDSCAPE_LEVELS = 3;

function summarise(diagrams: Diagram[]): DiagramSummaries {
  let top = 0;
  for (const d of diagrams) for (const x of d.deaths) if (Number.isFinite(x)) top = Math.max(top, x);
  const grid = linearGrid(0, top > 0 ? top * 1.05 : 1, GRID_POINTS);
  const landscapeDim = Math.min(1, diagrams.length - 1);
  const ld = diagrams[landscapeDim];
  return {
    grid,
    betti: diagrams.map((d) => bettiCurve(d, grid)),
    landscapes: ld ? landscapes(ld, LANDSCAPE_LEVELS, grid) : [],
    landscapeDim,
    entropy: diagrams.map((d) => persistenceEntropy(d)),
  };
}

/** Persistence with representatives and summaries of one cloud, with every buffer ready to transfer. */
async function topologyOf(cloud: Cloud, maxDim: number, landmarked: boolean): Promise<WindowTopology> {
  const raw = (await getEngine()).computePoints(cloud.points, cloud.n, cloud.d, { maxDim, cocycles: true });
  const { result, buffers } = detach(raw);
  const summaries = summarise(result.diagrams);
  const out: WindowTopology = {
    points: cloud.points,
    n: cloud.n,
    d: cloud.d,
    landmarked,
    dropped: cloud.dropped,
    result,
    summaries,
  };
  buffers.push(
    cloud.points.buffer as ArrayBuffer,
    summaries.grid.buffer as ArrayBuffer,
    ...summaries.betti.map((b) => b.buffer as ArrayBuffer),
    ...summaries.landscapes.map((l) => l.buffer as ArrayBuffer),
  );
  return transfer(out, [...new Set(buffers)]);
}

let engine: Promise<PHEngine> | undefined;

function getEngine(): Promise<PHEngine> {
  engine ??= loadAuraBrowser().then((wasm) => new PHEngine(wasm));
  return engine;
}

/** Own copies of the diagrams (the engine's may view its heap), whose buffers then move to the page. */
function detach(r: PHResult): { result: PHResult; buffers: ArrayBuffer[] } {
  const diagrams = r.diagrams.map((d) => ({ dim: d.dim, births: d.births.slice(), deaths: d.deaths.slice() }));
  const buffers = diagrams.flatMap((d) => [d.births.buffer as ArrayBuffer, d.deaths.buffer as ArrayBuffer]);
  return { result: { ...r, diagrams }, buffers };
}

const api: EngineApi = {
  async init() {
    await getEngine();
  },
  async computePoints(points, n, d, opts) {
    const { result, buffers } = detach((await getEngine()).computePoints(points, n, d, opts));
    return transfer(result, buffers);
  },
  async cloudTopology(points, n, d, maxDim) {
    return topologyOf({ points, n, d, dropped: 0 }, maxDim, false);
  },
  async windowTopology(config, task) {
    const { cloud, landmarks } = buildCloud(config, task);
    return topologyOf(cloud, config.maxDim, landmarks !== null);
  },
};

expose(api);
