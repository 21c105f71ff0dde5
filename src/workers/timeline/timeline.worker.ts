// One timeline worker: its own WebAssembly instance behind the PH engine and the diagram distances,
// answering window requests. It only adapts handleRequest to Comlink.
import { expose, transfer } from 'comlink';
import { loadAuraBrowser } from '../../lib/wasm/browser.ts';
import { PHEngine } from '../../lib/tda/engine.ts';
import { DiagramDistance } from '../../lib/tda/distance.ts';
import { handleRequest, transferablesOf, type RunnerRequest, type ResponseOf } from '../../lib/timeline/runner.ts';
import type { Topology } from '../../lib/timeline/topology.ts';
import type { TimelineWorkerApi } from './api.ts';

const topology: Promise<Topology> = loadAuraBrowser().then((wasm) => {
  const engine = new PHEngine(wasm);
  const distance = new DiagramDistance(wasm);
  return {
    computePoints: (points, n, d, opts) => engine.computePoints(points, n, d, opts),
    wasserstein: (a, b, p) => distance.wasserstein(a, b, p),
    bottleneck: (a, b) => distance.bottleneck(a, b),
  };
});

const api: TimelineWorkerApi = {
  async run<R extends RunnerRequest>(request: R): Promise<ResponseOf<R>> {
    const response = handleRequest(await topology, request);
    return transfer(response, transferablesOf(response)) as ResponseOf<R>;
  },
};

expose(api);
