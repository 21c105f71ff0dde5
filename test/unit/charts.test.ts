// The D3 chart functions, without a browser: they return an SVG tree that serialises to text, so the
// tests read positions and labels from it. Properties with fast-check, one snapshot per chart kind.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagram } from '../../src/lib/tda/types.ts';
import { findAll, h, textOf, toSvgString, type SvgNode } from '../../src/ui/charts/svg.ts';
import { darkTheme, lightTheme } from '../../src/ui/charts/theme.ts';
import { persistenceDiagram } from '../../src/ui/charts/persistence.ts';
import { barcode } from '../../src/ui/charts/barcode.ts';
import { lineChart } from '../../src/ui/charts/lines.ts';
import { downsample, scoreTimeline, seriesChart } from '../../src/ui/charts/timeline.ts';
import { loopFromCocycle, pca2, projectionChart } from '../../src/ui/charts/projection.ts';
import { createNodeEngine } from '../../src/node/engine.ts';
import { exampleCloud } from '../../src/ui/state/example-cloud.ts';
import { repoRoot } from '../helpers/env.ts';

const size = { width: 400, height: 300, theme: darkTheme };

function diagram(dim: number, pairs: [number, number][]): Diagram {
  return { dim, births: Float64Array.from(pairs.map((p) => p[0])), deaths: Float64Array.from(pairs.map((p) => p[1])) };
}

const num = (n: SvgNode, k: string) => Number(n.attrs[k]);

/** Diagrams as the engine gives them: 0 ≤ birth ≤ death, some deaths infinite. */
const arbDiagrams = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.double({ min: 0, max: 50, noNaN: true }),
      fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: Infinity }),
    ),
    { maxLength: 60 },
  )
  .map((rows) =>
    [0, 1, 2].map((dim) =>
      diagram(
        dim,
        rows
          .filter((r) => r[0] === dim)
          .map(([, a, b]) => (b === Infinity ? [a, Infinity] : [Math.min(a, b), Math.max(a, b)]) as [number, number]),
      ),
    ),
  );

describe('svg tree', () => {
  test('text and attribute values are escaped when serialised', () => {
    const label = '<img src=x onerror="alert(1)">&';
    const s = toSvgString(h('svg', { 'aria-label': label }, h('text', {}, label)));
    expect(s).not.toContain('<img');
    expect(s).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;');
    expect(s.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  test('no view renders raw HTML or writes innerHTML', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(svelte|ts)$/.test(f)) files.push(p);
      }
    };
    walk(resolve(repoRoot, 'src/ui'));
    files.push(resolve(repoRoot, 'src/App.svelte'));
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/\{@html|innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
  });
});

describe('persistence diagram', () => {
  test('every finite point is on or above the diagonal, every essential one on the ∞ line', () => {
    fc.assert(
      fc.property(arbDiagrams, (ds) => {
        const chart = persistenceDiagram(ds, size);
        const diag = findAll(chart.node, (n) => n.attrs.class === 'diagonal')[0];
        const inf = findAll(chart.node, (n) => n.attrs.class === 'inf-line')[0];
        const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((k) => num(diag, k));
        const pts = findAll(chart.node, (n) => n.tag === 'circle' && String(n.attrs.class).startsWith('pt'));
        expect(pts.length).toBe(ds.reduce((a, d) => a + d.births.length, 0));
        for (const p of pts) {
          const i = Number(p.attrs['data-tip']);
          const tip = chart.tip!(i);
          const cx = num(p, 'cx');
          const cy = num(p, 'cy');
          if (tip.includes('death ∞')) expect(cy).toBe(num(inf, 'y1'));
          else {
            // The diagonal's height at this x; screen y grows downwards.
            const yd = y1 + ((cx - x1) * (y2 - y1)) / (x2 - x1);
            expect(cy).toBeLessThanOrEqual(yd + 1e-6);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  test('hover text gives dimension, birth, death and persistence; the summary counts pairs', () => {
    const chart = persistenceDiagram(
      [
        diagram(0, [
          [0, 0.5],
          [0, Infinity],
        ]),
        diagram(1, [[0.3, 1.2]]),
      ],
      size,
    );
    const h1 = findAll(chart.node, (n) => n.attrs.class === 'pt dim-1')[0];
    expect(chart.tip!(Number(h1.attrs['data-tip']))).toBe('H1 · birth 0.300 · death 1.2 · persistence 0.900');
    expect(chart.summary).toContain('3 pairs (H0: 2, H1: 1)');
    expect(textOf(chart.node)).toContain('∞');
  });

  test('snapshot (dark and light)', async () => {
    const ds = [
      diagram(0, [
        [0, 0.2],
        [0, 0.45],
        [0, 0.7],
        [0, Infinity],
      ]),
      diagram(1, [
        [0.5, 1.4],
        [0.6, 0.75],
      ]),
    ];
    await expect(toSvgString(persistenceDiagram(ds, size).node)).toMatchFileSnapshot(
      'charts-snapshots/persistence-dark.svg',
    );
    await expect(toSvgString(persistenceDiagram(ds, { ...size, theme: lightTheme }).node)).toMatchFileSnapshot(
      'charts-snapshots/persistence-light.svg',
    );
  });
});

describe('barcode', () => {
  test('keeps the most persistent bars of each dimension, longest first', () => {
    fc.assert(
      fc.property(arbDiagrams, fc.integer({ min: 1, max: 10 }), (ds, perDim) => {
        const chart = barcode(ds, { ...size, perDim });
        for (const d of ds) {
          const bars = findAll(chart.node, (n) => n.attrs.class === `bar dim-${d.dim}`);
          expect(bars.length).toBe(Math.min(perDim, d.births.length));
          // Persistence read back from each bar's hover text, in drawing order.
          const lives = bars.map((b) => {
            const m = /persistence (\S+)$/.exec(chart.tip!(Number(b.attrs['data-tip'])))!;
            return m[1] === '∞' ? Infinity : Number(m[1].replace(/k$/, 'e3').replace(/M$/, 'e6').replace(/G$/, 'e9'));
          });
          for (let i = 1; i < lives.length; i++)
            expect(lives[i]).toBeLessThanOrEqual(lives[i - 1] * (1 + 1e-2) + 1e-12);
          const all = Array.from(d.births, (b, i) => d.deaths[i] - b).sort((x, y) => y - x);
          if (lives.length) expect(lives[lives.length - 1]).toBeGreaterThanOrEqual(all[lives.length - 1] * (1 - 1e-2));
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('time charts', () => {
  test('downsampling keeps each pixel column’s extremes, and gaps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN)), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.integer({ min: 1, max: 50 }),
        (values, columns) => {
          const ts = values.map((_, i) => i * 1000);
          const out = downsample(ts, values, [0, ts[ts.length - 1] || 1], columns);
          const finite = values.filter(Number.isFinite);
          const kept = out.v.filter(Number.isFinite);
          if (finite.length) {
            expect(Math.min(...kept) === Math.min(...finite)).toBe(true);
            expect(Math.max(...kept) === Math.max(...finite)).toBe(true);
          }
          expect(out.v.filter(Number.isNaN).length).toBe(values.filter(Number.isNaN).length);
          for (let i = 1; i < out.t.length; i++) expect(out.t[i]).toBeGreaterThanOrEqual(out.t[i - 1]);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('score timeline: spans shaded, anomalous windows marked, pixel ↔ time round trip', () => {
    const t0 = Date.UTC(2026, 0, 5);
    const points = Array.from({ length: 50 }, (_, i) => ({
      t: t0 + i * 60e3,
      score: i >= 30 && i < 35 ? 9 : 1 + (i % 3) * 0.1,
      anomalous: i >= 30 && i < 35,
      betti: {},
      distance: {},
    }));
    const spans = [{ start: t0 + 30 * 60e3, end: t0 + 34 * 60e3, peak: 9, series: ['cpu'] }];
    const chart = scoreTimeline(points, spans, { ...size, threshold: 5, selected: t0 + 32 * 60e3 });
    expect(findAll(chart.node, (n) => n.attrs.class === 'span').length).toBe(1);
    expect(findAll(chart.node, (n) => n.attrs.class === 'anomalous').length).toBe(5);
    expect(findAll(chart.node, (n) => n.attrs.class === 'selected').length).toBe(1);
    const t = t0 + 17 * 60e3;
    expect(Math.abs(chart.pxToX!(chart.xToPx!(t)) - t)).toBeLessThan(1);
    expect(chart.summary).toContain('5 anomalous windows in 1 spans');
  });

  test('score timeline: the baseline span is shaded and labelled, so a spike inside it reads as such', () => {
    const t0 = Date.UTC(2026, 0, 5);
    const points = Array.from({ length: 20 }, (_, i) => ({
      t: t0 + i * 60e3,
      score: i === 3 ? 12 : 1,
      anomalous: i === 3,
      betti: {},
      distance: {},
    }));
    const baseline = { start: t0, end: t0 + 6 * 60e3 };
    const chart = scoreTimeline(points, [], { ...size, threshold: 4, baseline });
    const band = findAll(chart.node, (n) => n.attrs.class === 'baseline');
    expect(band).toHaveLength(1);
    expect(textOf(band[0])).toBe('baseline');
    const rect = findAll(band[0], (n) => n.tag === 'rect')[0];
    expect(Number(rect.attrs.x)).toBeCloseTo(chart.xToPx!(t0), 6);
    expect(Number(rect.attrs.width)).toBeCloseTo(chart.xToPx!(baseline.end) - chart.xToPx!(t0), 6);
    expect(chart.summary).toMatch(/baseline \(normal operation\)/);
    expect(findAll(scoreTimeline(points, [], { ...size }).node, (n) => n.attrs.class === 'baseline')).toHaveLength(0);
  });

  test('score timeline: the line breaks where time jumps (live history, then live windows hours later)', () => {
    const t0 = Date.UTC(2026, 0, 5);
    const at = (i: number) => (i < 20 ? t0 + i * 300e3 : t0 + 36 * 3600e3 + (i - 20) * 2e3);
    const points = Array.from({ length: 30 }, (_, i) => ({
      t: at(i),
      score: 1,
      anomalous: false,
      betti: {},
      distance: {},
    }));
    const chart = scoreTimeline(points, [], { ...size });
    const line = findAll(chart.node, (n) => n.attrs.class === 'score-line')[0];
    // Two runs: history and live, each its own move-to.
    expect(String(line.attrs.d).match(/M/g)).toHaveLength(2);
    const even = scoreTimeline(points.slice(0, 20), [], { ...size });
    expect(String(findAll(even.node, (n) => n.attrs.class === 'score-line')[0].attrs.d).match(/M/g)).toHaveLength(1);
  });

  test('a series label that is markup stays text, cut to fit with the whole key kept as its title', () => {
    const label = '<img src=x onerror="alert(1)">{instance="a-very-long-host-name-that-does-not-fit"}';
    const chart = seriesChart([0, 1, 2], [1, 2, 3], {
      ...size,
      width: 200,
      height: 60,
      label,
      domain: [0, 2],
      spans: [],
    });
    const text = findAll(chart.node, (n) => n.attrs.class === 'label')[0];
    expect(textOf(text).startsWith(label)).toBe(true); // the <title> child carries the whole key
    expect(toSvgString(chart.node)).not.toContain('<img');
  });

  test('line chart draws one path per curve and a marker', () => {
    const x = [0, 1, 2, 3];
    const chart = lineChart(
      [
        { label: 'a', x, y: [0, 1, 0, 2] },
        { label: 'b', x, y: [1, 1, 1, 1] },
      ],
      { ...size, title: 't', marker: 2 },
    );
    expect(findAll(chart.node, (n) => n.attrs.class === 'curve').length).toBe(2);
    expect(findAll(chart.node, (n) => n.attrs.class === 'marker').length).toBe(1);
  });
});

describe('cloud projection', () => {
  test('PCA of a tilted circle in 3-D keeps it round and explains all the variance in two axes', () => {
    const n = 64;
    const pts = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      const [u, v] = [Math.cos(a), Math.sin(a)];
      pts.set([u, v * Math.cos(0.7), v * Math.sin(0.7)], i * 3);
    }
    const { xy, explained } = pca2(pts, n, 3);
    expect(explained[0] + explained[1]).toBeCloseTo(1, 6);
    for (let i = 0; i < n; i++) expect(Math.hypot(xy[2 * i], xy[2 * i + 1])).toBeCloseTo(1, 4);
  });

  test('the loop drawn from the engine’s cocycle goes round the ring of the example cloud', async () => {
    const engine = await createNodeEngine();
    const { points, n, d } = exampleCloud();
    const result = engine.computePoints(points, n, d, { maxDim: 1, cocycles: true });
    const cocycles = result.cocycles ?? [];
    expect(cocycles.length).toBeGreaterThan(0);
    const best = cocycles.reduce((a, b) => (b.death - b.birth > a.death - a.birth ? b : a));
    const loop = loopFromCocycle(points, n, d, best);
    expect(loop).not.toBeNull();
    const ring = Math.round(n * 0.75);
    expect(loop!.length).toBeGreaterThan(8);
    expect(loop!.every((i) => i < ring)).toBe(true);
    // Its points go all the way round: their angles cover the circle with no gap wider than 90°.
    const angles = loop!.map((i) => Math.atan2(points[2 * i + 1], points[2 * i])).sort((a, b) => a - b);
    const gaps = angles.map((a, i) => (i === 0 ? a + 2 * Math.PI - angles[angles.length - 1] : a - angles[i - 1]));
    expect(Math.max(...gaps)).toBeLessThan(Math.PI / 2);
    const chart = projectionChart(points, n, d, { ...size, loop: best });
    expect(findAll(chart.node, (x) => x.attrs.class === 'loop-cycle').length).toBe(1);
    await expect(toSvgString(chart.node)).toMatchFileSnapshot('charts-snapshots/projection.svg');
  });
});
