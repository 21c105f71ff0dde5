// Cloud building checked against deliberately naive reference implementations.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  alignFrame,
  autocorrelation,
  counterRate,
  fillForward,
  fitScaling,
  applyScaling,
  maxMinLandmarks,
  planWindows,
  resample,
  sliceRows,
  stateCloud,
  takensCloud,
} from '../../src/lib/cloud/index.ts';

const finiteOrNaN = fc.oneof(
  { weight: 5, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(NaN) },
);

/** Strictly increasing timestamps with jitter around a step. */
const timestamps = fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 60 }).map((gaps) => {
  const ts = new Float64Array(gaps.length);
  let t = 1_000_000;
  gaps.forEach((g, i) => {
    t += g;
    ts[i] = t;
  });
  return ts;
});

describe('resample', () => {
  it('matches a brute-force nearest-sample search', () => {
    fc.assert(
      fc.property(timestamps, fc.integer({ min: 200, max: 2000 }), fc.integer(), (ts, step, seed) => {
        const values = Float64Array.from(ts, (_, i) => ((seed + i * 7919) % 1000) / 10);
        const grid = Float64Array.from(
          { length: Math.floor((ts[ts.length - 1] - ts[0]) / step) + 1 },
          (_, i) => ts[0] + i * step,
        );
        const got = resample(ts, values, grid, step);
        for (let g = 0; g < grid.length; g++) {
          let best = -1;
          for (let k = 0; k < ts.length; k++) {
            const d = Math.abs(ts[k] - grid[g]);
            const inBucket = ts[k] >= grid[g] - step / 2 && ts[k] < grid[g] + step / 2;
            if (inBucket && (best < 0 || d <= Math.abs(ts[best] - grid[g]))) best = k;
          }
          expect(Object.is(got[g], best < 0 ? NaN : values[best]) || got[g] === values[best]).toBe(true);
        }
      }),
    );
  });
});

describe('fillForward', () => {
  it('fills exactly the interior runs no longer than the limit', () => {
    fc.assert(
      fc.property(fc.array(finiteOrNaN, { maxLength: 80 }), fc.integer({ min: 0, max: 5 }), (xs, max) => {
        const col = Float64Array.from(xs);
        fillForward(col, max);
        // reference: walk runs of NaN
        const ref = Float64Array.from(xs);
        let i = 0;
        while (i < ref.length) {
          if (!Number.isNaN(ref[i])) {
            i++;
            continue;
          }
          let j = i;
          while (j < ref.length && Number.isNaN(ref[j])) j++;
          if (i > 0 && j < ref.length && j - i <= max) for (let k = i; k < j; k++) ref[k] = ref[i - 1];
          i = j;
        }
        expect(Array.from(col)).toEqual(Array.from(ref));
      }),
    );
  });
});

describe('counterRate', () => {
  it('is the increase per second, a reset counting from zero', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 40 }), (vals) => {
        const ts = Float64Array.from(vals, (_, i) => i * 15_000);
        const rate = counterRate(ts, Float64Array.from(vals));
        expect(rate[0]).toBeNaN();
        for (let i = 1; i < vals.length; i++) {
          const inc = vals[i] >= vals[i - 1] ? vals[i] - vals[i - 1] : vals[i];
          expect(rate[i]).toBeCloseTo(inc / 15, 9);
          expect(rate[i]).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});

describe('normalisation', () => {
  const column = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 });
  it('z-score gives mean 0 and sd 1, or zeros for a constant series', () => {
    fc.assert(
      fc.property(column, (xs) => {
        const out = applyScaling(xs, fitScaling(xs, 'zscore'));
        const mean = out.reduce((a, b) => a + b, 0) / out.length;
        const sd = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length);
        out.forEach((v) => expect(Number.isFinite(v)).toBe(true));
        expect(Math.abs(mean)).toBeLessThan(1e-6);
        const spread = Math.max(...xs) - Math.min(...xs);
        if (spread > 1e-3) expect(sd).toBeCloseTo(1, 6);
        if (spread === 0) out.forEach((v) => expect(v).toBe(0));
      }),
    );
  });
  it('min–max maps into [0, 1] with both ends hit; robust centres the median at 0', () => {
    fc.assert(
      fc.property(column, (xs) => {
        const mm = applyScaling(xs, fitScaling(xs, 'minmax'));
        mm.forEach((v) => expect(v >= -1e-12 && v <= 1 + 1e-12).toBe(true));
        const robust = applyScaling(xs, fitScaling(xs, 'robust'));
        robust.forEach((v) => expect(Number.isFinite(v)).toBe(true));
        const sorted = [...robust].sort((a, b) => a - b);
        const mid = (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
        expect(Math.abs(mid)).toBeLessThan(1e-6);
      }),
    );
  });
});

describe('windows and clouds', () => {
  it('plans windows keyed by their end, and skips the ones already computed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 10 }),
        (rows, width, stride, lookback) => {
          const all = planWindows(rows, { width, stride, lookback });
          for (const w of all) {
            expect(w.end - w.start + 1).toBe(width + lookback);
            expect(w.start).toBeGreaterThanOrEqual(0);
            expect(w.end).toBeLessThan(rows);
          }
          // Appending rows never moves an existing window; incremental planning returns exactly the new ones.
          const more = planWindows(rows + 17, { width, stride, lookback });
          expect(more.slice(0, all.length)).toEqual(all);
          const last = all.length ? all[all.length - 1].end : -1;
          expect(planWindows(rows + 17, { width, stride, lookback }, last)).toEqual(more.slice(all.length));
        },
      ),
    );
  });

  it('state cloud keeps exactly the complete rows, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(finiteOrNaN, { maxLength: 60 }), (m, flat) => {
        const rows = Math.floor(flat.length / m);
        const cols = Array.from({ length: m }, (_, j) =>
          Float64Array.from({ length: rows }, (_, r) => flat[r * m + j]),
        );
        const block = sliceRows(cols, 0, rows - 1);
        const cloud = stateCloud(block, rows, m);
        const ref: number[] = [];
        for (let r = 0; r < rows; r++) {
          const row = cols.map((c) => c[r]);
          if (row.every(Number.isFinite)) ref.push(...row);
        }
        expect(Array.from(cloud.points)).toEqual(ref);
        expect(cloud.n + cloud.dropped).toBe(rows);
      }),
    );
  });

  it('delay embedding matches the definition', () => {
    fc.assert(
      fc.property(
        fc.array(finiteOrNaN, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (xs, delay, dim) => {
          const block = Float64Array.from(xs);
          const cloud = takensCloud(block, xs.length, 1, { delay: [delay], dim: [dim] });
          const ref: number[] = [];
          for (let t = (dim - 1) * delay; t < xs.length; t++) {
            const v = Array.from({ length: dim }, (_, k) => xs[t - k * delay]);
            if (v.every(Number.isFinite)) ref.push(...v);
          }
          expect(Array.from(cloud.points)).toEqual(ref);
          expect(cloud.d).toBe(dim);
        },
      ),
    );
  });

  it('max–min landmarks cover the cloud within the radius and are at least that far apart', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true })),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.integer({ min: 1, max: 20 }),
        (pts, k) => {
          const flat = Float64Array.from(pts.flat());
          const { indices, radius } = maxMinLandmarks(flat, pts.length, 2, k);
          const dist = (a: number, b: number) => Math.hypot(pts[a][0] - pts[b][0], pts[a][1] - pts[b][1]);
          expect(indices.length).toBe(Math.min(k, pts.length));
          for (let i = 0; i < pts.length; i++) {
            const near = Math.min(...Array.from(indices, (l) => dist(i, l)));
            expect(near).toBeLessThanOrEqual(radius + 1e-9);
          }
          if (indices.length < pts.length) {
            for (let a = 0; a < indices.length; a++)
              for (let b = a + 1; b < indices.length; b++)
                expect(dist(indices[a], indices[b])).toBeGreaterThanOrEqual(radius - 1e-9);
          }
        },
      ),
    );
  });

  it('autocorrelation matches the textbook sum', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 3, maxLength: 40 }), (xs) => {
        const n = xs.length;
        const mean = xs.reduce((a, b) => a + b, 0) / n;
        const c0 = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
        const acf = autocorrelation(xs, Math.min(5, n - 1));
        if (c0 / n < 1e-12) return;
        for (let k = 0; k < acf.length; k++) {
          let s = 0;
          for (let i = k; i < n; i++) s += (xs[i] - mean) * (xs[i - k] - mean);
          expect(acf[k]).toBeCloseTo(s / c0, 6);
        }
      }),
    );
  });
});

describe('alignFrame on a regular grid', () => {
  it('gives the resampled column, sharing the values when nothing needs changing', () => {
    const cell = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 2, maxLength: 40 }), (cells) => {
        const timestamps = Float64Array.from(cells, (_, i) => 1_700_000_000_000 + 15_000 * i);
        const values = Float64Array.from(cells);
        const frame = {
          series: [{ name: 'g', labels: {}, timestamps, values, kind: 'gauge' as const }],
          meta: { origin: 't', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 },
        };
        const column = alignFrame(frame).frame.columns[0];
        const expected = resample(timestamps, values, timestamps, 15_000);
        expect(Array.from(column)).toEqual(Array.from(expected));
        expect(column === values).toBe(!cells.some((v) => v === Infinity || v === -Infinity));
      }),
    );
  });
});
