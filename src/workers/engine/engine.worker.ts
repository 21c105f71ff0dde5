// Adapts PHEngine to messages: the page never blocks on a persistence computation.
import { expose, transfer } from 'comlink';
import { loadAuraBrowser } from '../../lib/wasm/browser.ts';
import { PHEngine } from '../../lib/tda/engine.ts';
import type { PHResult } from '../../lib/tda/types.ts';
import type { EngineApi } from './api.ts';

let engine: Promise<PHEngine> | undefined;

function getEngine(): Promise<PHEngine> {
  engine ??= loadAuraBrowser().then((wasm) => new PHEngine(wasm));
  return engine;
}

/** The diagrams' arrays, so they move to the page instead of being copied. */
export function resultBuffers(r: PHResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const d of r.diagrams) out.push(d.births.buffer as ArrayBuffer, d.deaths.buffer as ArrayBuffer);
  return [...new Set(out)];
}

const api: EngineApi = {
  async init() {
    await getEngine();
  },
  async computePoints(points, n, d, opts) {
    const result = (await getEngine()).computePoints(points, n, d, opts);
    return transfer(result, resultBuffers(result));
  },
};

expose(api);
