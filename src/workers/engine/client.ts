// The page's handle on one engine worker.
import { wrap, transfer, type Remote } from 'comlink';
import type { PHOptions, PHResult } from '../../lib/tda/types.ts';
import type { EngineApi } from './api.ts';
import { workerFailure } from '../failure.ts';

export interface EngineClient {
  computePoints(points: Float64Array, n: number, d: number, opts: PHOptions): Promise<PHResult>;
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
    terminate: () => worker.terminate(),
  };
}
