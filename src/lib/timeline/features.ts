// Per-window numbers shown on the timeline, per homology dimension.
import type { Diagram } from '../tda/types.ts';

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
  const f: WindowFeatures = { betti: [], totalPersistence: [], maxPersistence: [], entropy: [] };
  for (const d of diagrams) {
    let betti = 0;
    let total = 0;
    let max = 0;
    for (let i = 0; i < d.deaths.length; i++) {
      const p = d.deaths[i] - d.births[i];
      if (!Number.isFinite(p)) {
        betti++;
        continue;
      }
      if (p > floor) betti++;
      total += p;
      max = Math.max(max, p);
    }
    let entropy = 0;
    if (total > 0) {
      for (let i = 0; i < d.deaths.length; i++) {
        const p = d.deaths[i] - d.births[i];
        if (Number.isFinite(p) && p > 0) entropy -= (p / total) * Math.log(p / total);
      }
    }
    f.betti.push(betti);
    f.totalPersistence.push(total);
    f.maxPersistence.push(max);
    f.entropy.push(entropy);
  }
  return f;
}
