// Analysis settings and their URL-hash form, so a link reproduces an analysis. Only these keys ever go in
// the hash: no source URL, no credential.
import { DEFAULT_TIMELINE_OPTIONS } from '../../lib/timeline/timeline.ts';
import type { NormaliseMethod } from '../../lib/cloud/normalise.ts';

export type ExecutionProviderChoice = 'auto' | 'webgpu' | 'wasm';

export interface Settings {
  /** Window width in samples. */
  window: number;
  /** Stride between window starts, in samples. */
  stride: number;
  /** `auto`: the state cloud, or a delay embedding when there is a single series (as `aura analyze`). */
  cloud: 'auto' | 'state' | 'takens';
  maxDim: number;
  normalise: NormaliseMethod;
  /** Robust z-score above which a window is flagged as anomalous. */
  threshold: number;
  ep: ExecutionProviderChoice;
}

/** The same defaults as `aura analyze`, so a link without settings gives the CLI's report. */
export const defaultSettings: Settings = {
  window: DEFAULT_TIMELINE_OPTIONS.window,
  stride: DEFAULT_TIMELINE_OPTIONS.stride,
  cloud: 'auto',
  maxDim: DEFAULT_TIMELINE_OPTIONS.maxDim,
  normalise: DEFAULT_TIMELINE_OPTIONS.normalise,
  threshold: DEFAULT_TIMELINE_OPTIONS.threshold,
  ep: 'auto',
};

export const limits = {
  window: { min: 8, max: 2000 },
  stride: { min: 1, max: 2000 },
  maxDim: { min: 0, max: 2 },
} as const;

function intIn(raw: string | null, lo: number, hi: number): number | undefined {
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  const v = Number(raw);
  return v >= lo && v <= hi ? v : undefined;
}

function oneOf<T extends string>(raw: string | null, options: readonly T[]): T | undefined {
  return options.find((o) => o === raw);
}

/** Reads settings from a hash like `#window=60&stride=5`; unknown keys and bad values are ignored. */
export function parseHash(hash: string): Settings {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const s: Settings = { ...defaultSettings };
  s.window = intIn(q.get('window'), limits.window.min, limits.window.max) ?? s.window;
  s.stride = intIn(q.get('stride'), limits.stride.min, limits.stride.max) ?? s.stride;
  s.maxDim = intIn(q.get('maxDim'), limits.maxDim.min, limits.maxDim.max) ?? s.maxDim;
  s.cloud = oneOf(q.get('cloud'), ['auto', 'state', 'takens'] as const) ?? s.cloud;
  s.normalise = oneOf(q.get('norm'), ['noise', 'zscore', 'robust', 'minmax'] as const) ?? s.normalise;
  s.ep = oneOf(q.get('ep'), ['auto', 'webgpu', 'wasm'] as const) ?? s.ep;
  const t = q.get('threshold');
  if (t !== null && /^\d+(\.\d+)?$/.test(t) && Number(t) > 0 && Number(t) <= 100) s.threshold = Number(t);
  return s;
}

/** The hash for `s`, listing only values that differ from the defaults (empty string when none do). */
export function toHash(s: Settings): string {
  const q = new URLSearchParams();
  if (s.window !== defaultSettings.window) q.set('window', String(s.window));
  if (s.stride !== defaultSettings.stride) q.set('stride', String(s.stride));
  if (s.cloud !== defaultSettings.cloud) q.set('cloud', s.cloud);
  if (s.maxDim !== defaultSettings.maxDim) q.set('maxDim', String(s.maxDim));
  if (s.normalise !== defaultSettings.normalise) q.set('norm', s.normalise);
  if (s.threshold !== defaultSettings.threshold) q.set('threshold', String(s.threshold));
  if (s.ep !== defaultSettings.ep) q.set('ep', s.ep);
  const text = q.toString();
  return text ? `#${text}` : '';
}
