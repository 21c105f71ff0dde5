// Settings in the URL hash: what a shared link carries, and what it must never carry.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defaultSettings, limits, parseHash, toHash, type Settings } from '../../src/ui/state/settings.ts';

const arbSettings: fc.Arbitrary<Settings> = fc.record({
  window: fc.integer(limits.window),
  stride: fc.integer(limits.stride),
  cloud: fc.constantFrom('auto' as const, 'state' as const, 'takens' as const),
  maxDim: fc.integer(limits.maxDim),
  normalise: fc.constantFrom('noise' as const, 'robust' as const, 'zscore' as const, 'minmax' as const),
  threshold: fc.integer({ min: 1, max: 200 }).map((v) => v / 2),
  fast: fc.constantFrom('auto' as const, 'on' as const, 'off' as const),
  ep: fc.constantFrom('auto' as const, 'webgpu' as const, 'wasm' as const),
});

describe('settings hash', () => {
  test('a hash written from settings reads back as the same settings', () => {
    fc.assert(
      fc.property(arbSettings, (s) => {
        expect(parseHash(toHash(s))).toEqual(s);
      }),
    );
  });

  test('defaults give an empty hash, and an empty hash gives the defaults', () => {
    expect(toHash(defaultSettings)).toBe('');
    expect(parseHash('')).toEqual(defaultSettings);
  });

  test('only the known keys are written', () => {
    fc.assert(
      fc.property(arbSettings, (s) => {
        for (const key of new URLSearchParams(toHash(s).slice(1)).keys()) {
          expect(['window', 'stride', 'cloud', 'maxDim', 'norm', 'threshold', 'fast', 'ep']).toContain(key);
        }
      }),
    );
  });

  test('bad or hostile values fall back to the defaults instead of breaking the page', () => {
    fc.assert(
      fc.property(fc.string(), (junk) => {
        const s = parseHash('#' + junk);
        expect(s.window).toBeGreaterThanOrEqual(limits.window.min);
        expect(['auto', 'state', 'takens']).toContain(s.cloud);
        expect(Number.isFinite(s.threshold)).toBe(true);
      }),
    );
    expect(parseHash('#window=-5&stride=abc&maxDim=9&cloud=<script>&ep=cuda&threshold=1e400')).toEqual(defaultSettings);
  });
});
