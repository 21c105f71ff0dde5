// The page's handle on one engine worker.
import { wrap, transfer, type Remote } from 'comlink';
import type { PHOptions, PHResult } from '../../lib/tda/types.ts';
import type { EngineApi, WindowTopology } from './api.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';
import { workerFailure } from '../failure.ts';

export interface EngineClient {
  computePoints(points: Float64Array, n: number, d: number, opts: PHOptions): Promise<PHResult>;
  cloudTopology(points: Float64Array, n: number, d: number, maxDim: number): Promise<WindowTopology>;
  windowTopology(config: WindowConfig, task: WindowTask): Promise<WindowTopology>;
  terminate(): void;
}

export function createEngineClient(): EngineClient {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'aura-engine' });
  const remote: Remote<EngineApi> = wrap<EngineApi>(worker);
  const crashed = workerFailure(worker, 'the topology engine');
  return {
    computePoints: (points, n, d, opts) => {
      // Copy first: the caller keeps its cloud (it is drawn as a projection too).
      const copy = points.slice();
      return Promise.race([
        remote.computePoints(transfer(copy, [copy.buffer]), n, d, opts) as Promise<PHResult>,
        crashed,
      ]);
    },
    cloudTopology: (points, n, d, maxDim) => {
      const copy = points.slice();
      return Promise.race([
        remote.cloudTopology(transfer(copy, [copy.buffer]), n, d, maxDim) as Promise<WindowTopology>,
        crashed,
      ]);
    },
    windowTopology: (config, task) =>
      Promise.race([remote.windowTopology(config, task) as Promise<WindowTopology>, crashed]),
    terminate: () => worker.terminate(),
  };
}
