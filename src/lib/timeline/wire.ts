// Window results as one Float64Array for the trip from a worker thread: a structured clone of a batch (a
// dozen objects and arrays per window) cost the worker about a tenth of its time at 1,000 hosts, and the
// receiving thread as much again to rebuild it. Every number travels as the double it is (−0 and NaN
// included), so the decoded results equal the encoded ones; the rare skip reasons travel as strings beside.
import type { Diagram } from '../tda/types.ts';
import type { WindowFeatures } from './features.ts';
import type { WindowResult } from './window.ts';

export interface EncodedWindows {
  data: Float64Array;
  /** Skip reasons, indexed from the data. */
  reasons: string[];
}

const FEATURES = ['betti', 'totalPersistence', 'maxPersistence', 'entropy'] as const;

export function encodeWindows(results: WindowResult[]): EncodedWindows {
  let length = 1;
  for (const r of results) {
    length += 7 + 2 * r.diagrams.length;
    for (const d of r.diagrams) length += 2 * d.births.length;
    for (const f of FEATURES) length += 1 + r.features[f].length;
    length += 1 + (r.distance ? 2 + r.distance.w2.length + r.distance.bottleneck.length : 0);
  }
  const data = new Float64Array(length);
  const reasons: string[] = [];
  let at = 0;
  const list = (xs: ArrayLike<number>) => {
    data[at++] = xs.length;
    for (let i = 0; i < xs.length; i++) data[at++] = xs[i];
  };
  data[at++] = results.length;
  for (const r of results) {
    data[at++] = r.key;
    data[at++] = r.points;
    data[at++] = r.landmarkRadius === null ? 0 : 1;
    data[at++] = r.landmarkRadius ?? 0;
    data[at++] = r.jump;
    data[at++] = r.skipped === null ? -1 : reasons.push(r.skipped) - 1;
    data[at++] = r.diagrams.length;
    for (const d of r.diagrams) {
      data[at++] = d.dim;
      data[at++] = d.births.length;
      data.set(d.births, at);
      data.set(d.deaths, at + d.births.length);
      at += 2 * d.births.length;
    }
    for (const f of FEATURES) list(r.features[f]);
    data[at++] = r.distance ? 1 : 0;
    if (r.distance) {
      list(r.distance.w2);
      list(r.distance.bottleneck);
    }
  }
  return { data, reasons };
}

/** The results encodeWindows was given; diagrams are views into `data`. */
export function decodeWindows({ data, reasons }: EncodedWindows): WindowResult[] {
  let at = 0;
  const list = () => {
    const n = data[at++];
    const out: number[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = data[at++];
    return out;
  };
  const count = data[at++];
  const results: WindowResult[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const key = data[at++];
    const points = data[at++];
    const hasRadius = data[at++] === 1;
    const radius = data[at++];
    const jump = data[at++];
    const reason = data[at++];
    const dims = data[at++];
    const diagrams: Diagram[] = new Array(dims);
    for (let i = 0; i < dims; i++) {
      const dim = data[at++];
      const n = data[at++];
      diagrams[i] = { dim, births: data.subarray(at, at + n), deaths: data.subarray(at + n, at + 2 * n) };
      at += 2 * n;
    }
    const features: WindowFeatures = {
      betti: list(),
      totalPersistence: list(),
      maxPersistence: list(),
      entropy: list(),
    };
    const distance = data[at++] === 1 ? { w2: list(), bottleneck: list() } : null;
    results[k] = {
      key,
      skipped: reason < 0 ? null : reasons[reason],
      points,
      landmarkRadius: hasRadius ? radius : null,
      diagrams,
      features,
      jump,
      distance,
    };
  }
  return results;
}
