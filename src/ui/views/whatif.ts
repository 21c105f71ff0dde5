// The "What if" form's arithmetic, kept out of the component so it can be read and tested on its own:
// scenario names in words, the hosts of a frame, UTC times for datetime-local inputs, the default spec,
// and the checks that say what to fix before anything is injected.
import type { MetricFrame } from '../../lib/frame/types.ts';
import { entityOf } from '../../lib/domain/channels.ts';
import { formatMinutes } from '../../lib/lnn/recommend.ts';
import type { RiskPoint } from '../../lib/lnn/trace.ts';
import { isFailureScenario, type ScenarioLabel, type ScenarioName } from '../../lib/synth/scenarios.ts';

const MIN = 60e3;
const HOUR = 60 * MIN;
/** A failure this long after the onset unless the user says otherwise. */
export const DEFAULT_LEAD_MS = 3 * HOUR;

export const scenarioWords: Record<ScenarioName, string> = {
  memory_leak: 'Memory leak',
  disk_fill: 'Disk filling up',
  cpu_saturation: 'CPU saturation',
  fd_exhaustion: 'File descriptors running out',
  network_saturation: 'Network saturation',
  cascading_overload: 'Cascading overload',
  traffic_spike: 'Traffic spike',
  deploy_restart: 'Deploy and restart',
  cron_burst: 'Cron job burst',
  cache_warmup: 'Cache warm-up',
};

/** The entities (hosts) of a frame, in natural order: host-2 before host-10. */
export function entitiesOf(frame: MetricFrame): string[] {
  const set = new Set(frame.series.map((s) => entityOf(s.labels)));
  return [...set].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Epoch ms as the value of a time input read as UTC: 2026-01-05T14:24. */
export function toInputValue(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/**
 * What the onset and failure inputs accept. They are text, not datetime-local: Chromium shows that in the
 * browser's locale (2:24 PM) next to a label that says UTC.
 */
export const INPUT_PATTERN = '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2})?';

/** An input value (2026-01-05T14:24, or with a space) read as UTC, epoch ms; NaN when it is not a time. */
export function fromInputValue(value: string): number {
  const v = value.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) return NaN;
  return Date.parse(`${v}Z`);
}

/** Onset at 60 % of the data's span (to the minute), the failure three hours later. */
export function defaultTimes(start: number, end: number): { onset: number; failure: number } {
  const onset = Math.floor((start + 0.6 * (end - start)) / MIN) * MIN;
  return { onset, failure: onset + DEFAULT_LEAD_MS };
}

export interface CheckedTimes {
  onset: number;
  /** Only for failures. */
  failure?: number;
  /** What to fix, or null when the times can be injected. */
  error: string | null;
  /** The input the error is about. */
  field: 'onset' | 'failure' | null;
  /** Worth knowing but allowed (the failure after the end of the data). */
  note: string | null;
}

const clock = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** Reads and checks the form's times against the data's range [start, end]. */
export function checkTimes(
  scenario: ScenarioName,
  onsetValue: string,
  failureValue: string,
  start: number,
  end: number,
): CheckedTimes {
  const onset = fromInputValue(onsetValue);
  const failing = isFailureScenario(scenario);
  const failure = failing ? fromInputValue(failureValue) : undefined;
  const out = (error: string | null, field: CheckedTimes['field'] = null, note: string | null = null) => ({
    onset,
    failure,
    error,
    field,
    note,
  });
  if (!Number.isFinite(onset)) return out('Enter the onset as a date and time (UTC).', 'onset');
  if (onset < start || onset >= end) {
    return out(`The onset must fall inside your data: between ${clock(start)} and ${clock(end)}.`, 'onset');
  }
  if (!failing) return out(null);
  if (!Number.isFinite(failure)) return out('Enter the failure as a date and time (UTC).', 'failure');
  if (failure! <= onset) return out('The failure must come after the onset: set it later than the onset.', 'failure');
  if (failure! - onset < 5 * MIN) return out('Leave at least 5 minutes between the onset and the failure.', 'failure');
  if (failure! > end) {
    const note = `The failure falls after the end of your data (${clock(end)}): only the run-up to it is in the data.`;
    return out(null, null, note);
  }
  return out(null);
}

/** Minutes of a horizon name such as 15m, 1h, 6h, 2d (NaN when it is none of those). */
export function horizonMinutes(name: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)$/.exec(name.trim());
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'd' ? 1440 : m[2] === 'h' ? 60 : 1);
}

/** The longest horizon in a trace (the last one when the names cannot be read), or null for an empty trace. */
export function longestHorizon(...traces: RiskPoint[][]): string | null {
  const names = Object.keys(traces.find((t) => t.length > 0)?.[0]?.risk ?? {});
  if (names.length === 0) return null;
  let best = names[names.length - 1];
  for (const n of names) if (horizonMinutes(n) > horizonMinutes(best)) best = n;
  return best;
}

/** "2 h 4 m before the failure", "10 m after the failure (too late)". */
export function leadWords(alarm: number, failure: number): string {
  const lead = (failure - alarm) / MIN;
  return lead > 0 ? `${formatMinutes(lead)} before the failure` : `${formatMinutes(-lead)} after the failure`;
}

/** Where a comparison's interval ends, in words: "30 m after the failure", "3 h after the onset", "the end of the data". */
export function intervalEndWords(label: ScenarioLabel, to: number, dataEnd: number): string {
  if (to >= dataEnd) return 'the end of the data';
  if (label.kind === 'failure' && label.failure !== undefined) {
    return to >= label.failure
      ? `${formatMinutes((to - label.failure) / MIN)} after the failure`
      : 'before the failure';
  }
  return `${formatMinutes((to - label.onset) / MIN)} after the onset`;
}

/** "38 m after the onset" (never negative: a flag can only count from the onset). */
export function delayWords(t: number, onset: number): string {
  return `${formatMinutes(Math.max(0, t - onset) / MIN)} after the onset`;
}

export { clock as clockWords };
