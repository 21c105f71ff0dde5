// The app's settings and their URL-hash form, so a link reproduces an analysis. The analysis settings come
// from the one schema in src/lib/analysis/settings.ts (the CLI's options use it too); the app adds the
// execution provider and the column mapping (`map`, the text form of src/lib/lnn/column-roles.ts: column
// names only). Only these keys ever go in the hash: no source URL, no credential.
import {
  DEFAULT_SETTINGS,
  SETTING_NAMES,
  SETTINGS_SCHEMA,
  settingsFromHash,
  settingsToHashParams,
  validateSettings,
  type Settings as AnalysisSettings,
} from '../../lib/analysis/settings.ts';
import { formatColumnRoles, parseColumnRoles } from '../../lib/lnn/column-roles.ts';
import { baselineError, entityLabelError, scopeFromParams, scopeToParams, stepError, type Scope } from './scope.ts';

export type ExecutionProviderChoice = 'auto' | 'webgpu' | 'wasm';

export interface Settings extends AnalysisSettings, Scope {
  ep: ExecutionProviderChoice;
  /** Which channel columns the names do not explain feed, e.g. `m5=memory:used`; absent: the names decide. */
  map?: string;
}

/** The same defaults as `aura analyze`, so a link without settings gives the CLI's report. */
export const defaultSettings: Settings = { ...DEFAULT_SETTINGS, ep: 'auto' };

/** Ranges of the numeric settings, for the settings panel's inputs. */
export const limits = {
  window: range('window'),
  stride: range('stride'),
  maxDim: range('maxDim'),
  threshold: range('threshold'),
};

function range(name: 'window' | 'stride' | 'maxDim' | 'threshold'): { min: number; max: number } {
  const f = SETTINGS_SCHEMA[name];
  if (f.kind === 'choice') throw new Error(`${name} is not numeric`);
  return { min: f.min, max: f.max };
}

/** Why these settings cannot be applied (one message per bad field), empty when they can. */
export function settingsErrors(s: Settings): string[] {
  const errors = validateSettings(s);
  const entity = s.entity ? entityLabelError(s.entity) : null;
  const baseline = s.baseline ? baselineError(s.baseline) : null;
  const step = s.step ? stepError(s.step) : null;
  return [...errors, ...(entity ? [entity] : []), ...(baseline ? [baseline] : []), ...(step ? [step] : [])];
}

/** Reads settings from a hash like `#window=60&stride=5`; unknown keys and bad values are ignored. */
export function parseHash(hash: string): Settings {
  const { settings, params } = settingsFromHash(hash);
  const ep = (['auto', 'webgpu', 'wasm'] as const).find((o) => o === params.get('ep')) ?? defaultSettings.ep;
  const map = mappingText(params.get('map'));
  return { ...settings, ep, ...(map ? { map } : {}), ...scopeFromParams(params) };
}

/** A mapping from a link in its canonical text form, or null when absent or not a mapping. */
function mappingText(raw: string | null): string | null {
  if (!raw) return null;
  try {
    return formatColumnRoles(parseColumnRoles(raw));
  } catch {
    return null;
  }
}

/** The hash for `s`, listing only values that differ from the defaults (empty string when none do). */
export function toHash(s: Settings): string {
  const q = settingsToHashParams(s);
  if (s.ep !== defaultSettings.ep) q.set('ep', s.ep);
  const map = mappingText(s.map ?? null);
  if (map) q.set('map', map);
  scopeToParams(s, q);
  const text = q.toString();
  return text ? `#${text}` : '';
}

/** The analysis settings alone: the execution provider changes which backend runs the model, not the analysis. */
export function analysisSettings(s: Settings): AnalysisSettings {
  return Object.fromEntries(SETTING_NAMES.map((name) => [name, s[name]])) as unknown as AnalysisSettings;
}
