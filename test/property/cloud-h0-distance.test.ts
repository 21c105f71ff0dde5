// The H0 fast path of the timeline against the general matching engine in WebAssembly.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DiagramDistance } from '../../src/lib/tda/distance.ts';
import { createNodeDistance } from '../../src/node/engine.ts';
import { deathsBottleneck, deathsWasserstein2 } from '../../src/lib/timeline/h0.ts';
import type { Diagram } from '../../src/lib/tda/types.ts';

let engine: DiagramDistance;
beforeAll(async () => {
  engine = await createNodeDistance();
});

const h0 = fc
  .array(fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constantFrom(0, 1, 2, 2.5)), { maxLength: 25 })
  .map((deaths): Diagram => ({ dim: 0, births: new Float64Array(deaths.length), deaths: Float64Array.from(deaths) }));

describe('births-0 (H0) distances by dynamic programming', () => {
  it('equal the exact W2 of the matching engine', () => {
    fc.assert(
      fc.property(h0, h0, (a, b) => {
        const want = engine.wasserstein(a, b, 2, { method: 'exact' });
        expect(deathsWasserstein2(a, b)).toBeCloseTo(want, 6);
      }),
      { numRuns: 300 },
    );
  });

  it('equal the exact bottleneck distance of the matching engine', () => {
    fc.assert(
      fc.property(h0, h0, (a, b) => {
        // The engine works in single precision for bottleneck candidates; compare to 1e-5 relative.
        const want = engine.bottleneck(a, b);
        expect(Math.abs(deathsBottleneck(a, b) - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, want));
      }),
      { numRuns: 300 },
    );
  });
});
