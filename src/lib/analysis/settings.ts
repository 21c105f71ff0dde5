// The analysis settings: one schema with one validator. The CLI's options, the URL hash and the app's
// settings panel all read and check settings here, so their defaults, ranges and messages are the same.
import { DEFAULT_TIMELINE_OPTIONS, type TimelineOptions } from '../timeline/timeline.ts';
import type { NormaliseMethod } from '../cloud/normalise.ts';

export interface Settings {
  /** Window width in samples. */
  window: number;
  /** Samples between window ends. */
  stride: number;
  /** `auto`: the state cloud, or a delay embedding when there is a single series. */
  cloud: 'auto' | 'state' | 'takens';
  /** Highest homology dimension computed. */
  maxDim: number;
  normalise: NormaliseMethod;
  /** Robust z of the distance to the baseline above which a window is flagged. */
  threshold: number;
  /**
   * The fast scale (each new row read against the baseline, beside the long window); `auto`: on when the
   * baseline spans a day or more and there are two series or more.
   */
  fast: 'auto' | 'on' | 'off';
}

export type SettingName = keyof Settings;

interface NumberField {
  kind: 'int' | 'number';
  min: number;
  max: number;
}
interface ChoiceField {
  kind: 'choice';
  choices: readonly string[];
  /** A switch: the CLI takes `--flag` (on) and `--no-flag` (off) rather than a value; absent: the default. */
  switch?: boolean;
}
export type Field = (NumberField | ChoiceField) & {
  /** The CLI option (`--max-dim`) and the URL-hash key (`maxDim`). */
  flag: string;
  hashKey: string;
  help: string;
};

export const SETTINGS_SCHEMA: Record<SettingName, Field> = {
  window: {
    kind: 'int',
    min: 8,
    max: 5000,
    flag: 'window',
    hashKey: 'window',
    help: 'window width in samples (points per cloud)',
  },
  stride: { kind: 'int', min: 1, max: 5000, flag: 'stride', hashKey: 'stride', help: 'samples between window ends' },
  cloud: {
    kind: 'choice',
    choices: ['auto', 'state', 'takens'],
    flag: 'cloud',
    hashKey: 'cloud',
    help: 'state: one point per sample over all series; takens: delay embedding; auto: takens for a single series',
  },
  maxDim: { kind: 'int', min: 0, max: 2, flag: 'max-dim', hashKey: 'maxDim', help: 'highest homology dimension' },
  normalise: {
    kind: 'choice',
    choices: ['noise', 'robust', 'zscore', 'minmax'],
    flag: 'normalise',
    hashKey: 'norm',
    help: "how each series is scaled before clouds are built ('noise': by its sample-to-sample noise)",
  },
  threshold: {
    kind: 'number',
    min: 0.5,
    max: 100,
    flag: 'threshold',
    hashKey: 'threshold',
    help: 'robust z above which a window is flagged',
  },
  fast: {
    kind: 'choice',
    choices: ['auto', 'on', 'off'],
    switch: true,
    flag: 'fast',
    hashKey: 'fast',
    help: 'fast scale: each new sample read against the baseline, so events of a few minutes are flagged within minutes; auto: on when the baseline spans a day or more over two series or more',
  },
};

/** The one place defaults live; the timeline's own defaults are the source for its fields. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  window: DEFAULT_TIMELINE_OPTIONS.window,
  stride: DEFAULT_TIMELINE_OPTIONS.stride,
  cloud: 'auto',
  maxDim: DEFAULT_TIMELINE_OPTIONS.maxDim,
  normalise: DEFAULT_TIMELINE_OPTIONS.normalise,
  threshold: DEFAULT_TIMELINE_OPTIONS.threshold,
  fast: DEFAULT_TIMELINE_OPTIONS.fast === 'auto' ? 'auto' : DEFAULT_TIMELINE_OPTIONS.fast ? 'on' : 'off',
});

export const SETTING_NAMES = Object.keys(SETTINGS_SCHEMA) as SettingName[];

/** A value read from text (CLI option, URL hash, form field), or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Reads one setting from text; the error names the range or the choices. */
export function parseSetting<K extends SettingName>(name: K, raw: string): Parsed<Settings[K]> {
  const f = SETTINGS_SCHEMA[name];
  const text = raw.trim();
  if (f.kind === 'choice') {
    if (f.choices.includes(text)) return { ok: true, value: text as Settings[K] };
    return { ok: false, error: `${f.flag} must be one of ${f.choices.join(', ')}, got '${raw}'` };
  }
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || (f.kind === 'int' && !Number.isInteger(value)))
    return { ok: false, error: `${f.flag} must be ${f.kind === 'int' ? 'a whole number' : 'a number'}, got '${raw}'` };
  if (value < f.min || value > f.max)
    return { ok: false, error: `${f.flag} must be from ${f.min} to ${f.max}, got ${value}` };
  return { ok: true, value: value as Settings[K] };
}

/** Checks a whole settings object (e.g. from the settings panel); `errors` is empty when it is valid. */
export function validateSettings(s: Settings): string[] {
  const errors: string[] = [];
  for (const name of SETTING_NAMES) {
    const r = parseSetting(name, String(s[name]));
    if (!r.ok) errors.push(r.error);
  }
  return errors;
}

/** Settings from an URL hash like `#window=60&norm=robust`; unknown keys and bad values fall back to defaults. */
export function settingsFromHash(hash: string): { settings: Settings; params: URLSearchParams } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const s: Settings = { ...DEFAULT_SETTINGS };
  for (const name of SETTING_NAMES) {
    const raw = q.get(SETTINGS_SCHEMA[name].hashKey);
    if (raw === null) continue;
    const r = parseSetting(name, raw);
    if (r.ok) (s as Record<SettingName, unknown>)[name] = r.value;
  }
  return { settings: s, params: q };
}

/** Hash parameters for the settings that differ from the defaults. */
export function settingsToHashParams(s: Settings, q = new URLSearchParams()): URLSearchParams {
  for (const name of SETTING_NAMES) {
    if (s[name] !== DEFAULT_SETTINGS[name]) q.set(SETTINGS_SCHEMA[name].hashKey, String(s[name]));
  }
  return q;
}

/** The timeline's options for these settings (`auto` leaves the cloud to the timeline's rule). */
export function timelineOptionsOf(s: Settings): Partial<TimelineOptions> {
  return {
    window: s.window,
    stride: s.stride,
    cloud: s.cloud === 'auto' ? undefined : s.cloud,
    maxDim: s.maxDim,
    normalise: s.normalise,
    threshold: s.threshold,
    fast: s.fast === 'auto' ? 'auto' : s.fast === 'on',
  };
}

/** One line per setting for `aura <cmd> --help`: option, range or choices, default. */
export function settingsHelp(): string[] {
  return SETTING_NAMES.map((name) => {
    const f = SETTINGS_SCHEMA[name];
    if (f.kind === 'choice' && f.switch)
      return `  --${`${f.flag} | --no-${f.flag}`.padEnd(11)} ${f.help} (default ${String(DEFAULT_SETTINGS[name])})`;
    const range = f.kind === 'choice' ? f.choices.join('|') : `${f.min}–${f.max}`;
    return `  --${f.flag.padEnd(11)} ${f.help} (${range}; default ${String(DEFAULT_SETTINGS[name])})`;
  });
}
