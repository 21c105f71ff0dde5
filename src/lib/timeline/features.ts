// Per-window numbers shown on the timeline, per homology dimension, from the shared diagram summaries.
import type { Diagram } from '../tda/types.ts';
import { countAboveNoise, maxPersistence, persistenceEntropy, totalPersistence } from '../tda/summaries.ts';

export interface WindowFeatures {
  /**
   * Betti numbers above the window's noise floor: classes whose persistence exceeds a tenth of the
   * largest finite death in the window (the scale of the cloud). Infinite classes always count.
   */
  betti: number[];
  totalPersistence: number[];
  maxPersistence: number[];
  /** Persistent entropy of the finite pairs (nats). */
  entropy: number[];
}

export const NOISE_FLOOR_FRACTION = 0.1;

export function windowFeatures(diagrams: Diagram[]): WindowFeatures {
  let scale = 0;
  for (const d of diagrams) for (const death of d.deaths) if (Number.isFinite(death)) scale = Math.max(scale, death);
  const floor = NOISE_FLOOR_FRACTION * scale;
  return {
    betti: diagrams.map((d) => countAboveNoise(d, floor)),
    totalPersistence: diagrams.map((d) => totalPersistence(d)),
    maxPersistence: diagrams.map((d) => maxPersistence(d)),
    entropy: diagrams.map((d) => persistenceEntropy(d)),
  };
}
