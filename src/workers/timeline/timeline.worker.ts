// One timeline worker: its own WebAssembly instance behind the PH engine and the diagram distances,
// answering window requests. It only adapts handleRequest to Comlink.
import { expose, transfer } from 'comlink';
import { loadAuraBrowser } from '../../browser/wasm.ts';
import { handleRequest, transferablesOf, type RunnerRequest, type ResponseOf } from '../../lib/timeline/runner.ts';
import { createTopology, type Topology } from '../../lib/timeline/topology.ts';
import type { TimelineWorkerApi } from './api.ts';

const topology: Promise<Topology> = loadAuraBrowser().then(createTopology);

const api: TimelineWorkerApi = {
  async run<R extends RunnerRequest>(request: R): Promise<ResponseOf<R>> {
    const response = handleRequest(await topology, request);
    return transfer(response, transferablesOf(response)) as ResponseOf<R>;
  },
};

expose(api);
