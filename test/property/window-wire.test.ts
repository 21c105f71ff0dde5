// Window results cross from a worker thread as one Float64Array (src/lib/timeline/wire.ts): decoding must
// give back exactly what was encoded, −0, NaN and infinities included, with and without distances, skip
// reasons and landmark radii.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWindows, encodeWindows } from '../../src/lib/timeline/wire.ts';
import type { WindowResult } from '../../src/lib/timeline/window.ts';

const num = fc.double();
const nums = (max: number) => fc.array(num, { maxLength: max });

const diagram = (dim: number) =>
  fc.array(fc.tuple(num, num), { maxLength: 70 }).map((pairs) => ({
    dim,
    births: Float64Array.from(pairs, (p) => p[0]),
    deaths: Float64Array.from(pairs, (p) => p[1]),
  }));

const result: fc.Arbitrary<WindowResult> = fc.record({
  key: num,
  skipped: fc.option(fc.string(), { nil: null }),
  points: fc.integer({ min: 0, max: 500 }),
  landmarkRadius: fc.option(num, { nil: null }),
  diagrams: fc.integer({ min: 0, max: 3 }).chain((k) => fc.tuple(...Array.from({ length: k }, (_, d) => diagram(d)))),
  features: fc.record({ betti: nums(4), totalPersistence: nums(4), maxPersistence: nums(4), entropy: nums(4) }),
  jump: num,
  distance: fc.option(fc.record({ w2: nums(4), bottleneck: nums(4) }), { nil: null }),
});

/** Every number as text that tells −0 from 0 (toEqual does not), typed arrays as lists. */
const exact = (results: WindowResult[]) =>
  JSON.stringify(results, (_, v: unknown) => {
    const text = (x: number) => (Object.is(x, -0) ? '-0' : String(x));
    if (typeof v === 'number') return text(v);
    if (v instanceof Float64Array) return Array.from(v, text);
    return v;
  });

describe('encodeWindows / decodeWindows', () => {
  it('gives back every result as it was', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 8 }), (results) => {
        const wire = encodeWindows(results);
        expect(exact(decodeWindows(wire))).toBe(exact(results));
      }),
      { numRuns: 300 },
    );
  });
});
