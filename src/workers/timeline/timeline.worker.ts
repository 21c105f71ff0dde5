// One timeline worker: its own WebAssembly instance behind the PH engine and the diagram distances,
// answering window requests. It only adapts handleRequest to Comlink; window results go back as one buffer
// (a structured clone of a dozen objects per window cost this thread and the receiver a tenth of their time).
import { expose, transfer } from 'comlink';
import { loadAuraBrowser } from '../../browser/wasm.ts';
import { computeWindows, handleRequest, transferablesOf, type RunnerRequest } from '../../lib/timeline/runner.ts';
import { createTopology, type Topology } from '../../lib/timeline/topology.ts';
import { encodeWindows } from '../../lib/timeline/wire.ts';
import type { WindowResult } from '../../lib/timeline/window.ts';
import type { TimelineWorkerApi } from './api.ts';

const topology: Promise<Topology> = loadAuraBrowser().then(createTopology);

const api: TimelineWorkerApi = {
  async run(requests: RunnerRequest[]) {
    const t = await topology;
    const [first] = requests;
    if (first.kind !== 'windows') {
      const response = handleRequest(t, first);
      return transfer({ response }, transferablesOf(response));
    }
    const results: WindowResult[] = [];
    const counts: number[] = [];
    for (const request of requests as (RunnerRequest & { kind: 'windows' })[]) {
      const own = computeWindows(t, request);
      counts.push(own.length);
      for (const r of own) results.push(r);
    }
    const wire = encodeWindows(results);
    return transfer({ wire, counts }, [wire.data.buffer as ArrayBuffer]);
  },
};

expose(api);
