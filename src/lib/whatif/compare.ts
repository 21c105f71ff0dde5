// "What if": how the anomaly detector and the failure model respond when a scenario is injected into the
// user's own data. Compares the analysis of the data as it is with the analysis of the injected copy, over
// the stretch of time the injected effect covers. Pure: the CLI and the app run the analyses, this reads them.
import type { AnomalySpan, Report } from '../report/types.ts';
import type { ScenarioLabel } from '../synth/scenarios.ts';
import type { RiskPoint } from '../lnn/trace.ts';
import { formatMinutes } from '../lnn/recommend.ts';

/** After a failure the effect lingers (errors, restart); the detector gets this long to notice. */
export const AFTERMATH_MS = 30 * 60e3;
/** A look-alike is watched this long from its onset at least: its after-effects (a filled cache, a new
 * memory level) are what could still mislead the model after the event itself is over. */
export const BENIGN_WATCH_MS = 3 * 3600e3;
/** The model's trace starts this long before the onset, to show the quiet before. */
export const TRACE_LEAD_MS = 3600e3;

export interface WhatIfSide {
  /** Anomaly spans that overlap the effect's interval. */
  spans: AnomalySpan[];
  /** Those of them with a series of the injected entity among their drivers. */
  entitySpans: AnomalySpan[];
  /** End of the first window inside the interval flagged within one of entitySpans, or null. */
  firstFlag: number | null;
  /** Highest timeline score inside the interval (NaN when no window ends there). */
  peakScore: number;
  /** The model for the injected entity, bucket by bucket from an hour before the onset. */
  trace: RiskPoint[];
  /** First bucket from the onset to the failure where the model alarmed, or null. */
  firstAlarm: number | null;
  /** Highest risk per horizon from the onset to the failure (to the interval's end for a look-alike). */
  peakRisk: Record<string, number>;
}

export interface WhatIfResult {
  /** What was injected: scenario, entity, onset and failure (or end, for a benign event). */
  label: ScenarioLabel;
  /** The stretch the effect covers, clamped to the data: [onset, failure + 30 min], or 3 h from a look-alike's onset. */
  interval: [number, number];
  /** Whether the failure falls inside the data (otherwise the data ends before it). */
  failureInData: boolean;
  before: WhatIfSide;
  after: WhatIfSide;
  /** The response in sentences, for the CLI and the app. */
  summary: string[];
}

/** The interval the injected effect covers, within the data's time range [start, end]. */
export function effectInterval(label: ScenarioLabel, start: number, end: number): [number, number] {
  const until =
    label.kind === 'failure'
      ? label.failure! + AFTERMATH_MS
      : Math.max(label.end ?? label.onset, label.onset + BENIGN_WATCH_MS);
  return [Math.max(start, label.onset), Math.min(end, until)];
}

/** The time range whose model trace a comparison needs. */
export function traceRange(label: ScenarioLabel, start: number, end: number): [number, number] {
  const [, to] = effectInterval(label, start, end);
  return [Math.max(start, label.onset - TRACE_LEAD_MS), to];
}

/** Whether a series key (name{labels}) belongs to the entity, by the labels entityOf reads. */
export function keyOfEntity(key: string, entity: string): boolean {
  const quoted = JSON.stringify(entity);
  return ['instance', 'host', 'node', 'job'].some((l) => key.includes(`${l}=${quoted}`));
}

function side(report: Report, trace: RiskPoint[], label: ScenarioLabel, [from, to]: [number, number]): WhatIfSide {
  const spans = report.anomalies.filter((s) => s.end >= from && s.start <= to);
  const entitySpans = spans.filter((s) => s.series.some((k) => keyOfEntity(k, label.instance)));
  let firstFlag: number | null = null;
  let peakScore = NaN;
  for (const p of report.timeline) {
    if (p.t < from || p.t > to) continue;
    if (!(p.score <= peakScore)) peakScore = p.score;
    if (firstFlag === null && p.anomalous && entitySpans.some((s) => p.t >= s.start && p.t <= s.end)) firstFlag = p.t;
  }
  const onset = label.onset;
  // From the onset to the failure: after it the host restarts and the model's view is of a new state.
  const last = label.kind === 'failure' ? label.failure! : to;
  const after = trace.filter((p) => p.t >= onset && p.t <= last);
  const peakRisk: Record<string, number> = {};
  for (const p of after) for (const [h, v] of Object.entries(p.risk)) peakRisk[h] = Math.max(peakRisk[h] ?? 0, v);
  return {
    spans,
    entitySpans,
    firstFlag,
    peakScore,
    trace,
    firstAlarm: after.find((p) => p.alarm)?.t ?? null,
    peakRisk,
  };
}

const pct = (p: number) => `${Math.round(100 * p)} %`;
const clock = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
const riskWords = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([h, v]) => `${h} ${pct(v)}`)
    .join(', ');

function detectorSentence(label: ScenarioLabel, before: WhatIfSide, after: WhatIfSide): string {
  const n = before.entitySpans.length;
  const had = n ? ` Your data already had ${n} anomaly span${n > 1 ? 's' : ''} driven by ${label.instance} there.` : '';
  const score = Number.isFinite(after.peakScore) ? after.peakScore.toFixed(1) : null;
  const peak = score === null ? '' : ` (peak score ${score})`;
  if (after.firstFlag === null) {
    // The timeline's score is the whole fleet's: when other series were flagged, the peak is theirs.
    const others = after.spans.length
      ? ` Windows in that time were flagged (peak score ${score}), but for other series than ${label.instance}'s.`
      : peak && ` The score peaked at ${score}, below the threshold.`;
    return label.kind === 'failure'
      ? `The anomaly detector did not flag the injected ${label.scenario} on ${label.instance}.${others}${had}`
      : `The anomaly detector stayed quiet through the injected ${label.scenario} on ${label.instance}.${others}${had}`;
  }
  const span = after.entitySpans.find((s) => after.firstFlag! >= s.start && after.firstFlag! <= s.end)!;
  const drivers = span.series.filter((k) => keyOfEntity(k, label.instance)).slice(0, 3);
  const delay = Math.max(0, after.firstFlag - label.onset) / 60e3;
  return (
    `The anomaly detector flagged ${label.instance} ${formatMinutes(delay)} after the onset${peak}, ` +
    `driven by ${drivers.join(', ')}.${had}`
  );
}

function modelSentence(label: ScenarioLabel, before: WhatIfSide, after: WhatIfSide, failureInData: boolean): string {
  if (after.trace.length === 0) return `The failure model has no prediction for ${label.instance}.`;
  const peak = riskWords(after.peakRisk);
  const quietBefore =
    before.firstAlarm === null ? '' : ` It had already alarmed on your data at ${clock(before.firstAlarm)}.`;
  if (label.kind === 'benign') {
    return after.firstAlarm === null
      ? `The failure model stayed quiet, as it should for a ${label.scenario} (peak risk ${peak}).`
      : `The failure model raised a false alarm at ${clock(after.firstAlarm)} (peak risk ${peak}).${quietBefore}`;
  }
  const alarm = after.trace.find((p) => p.t === after.firstAlarm);
  if (!alarm) {
    return failureInData
      ? `The failure model did not alarm before the failure (peak risk ${peak}).${quietBefore}`
      : `The failure model has not alarmed by the end of the data (peak risk ${peak}).${quietBefore}`;
  }
  const lead = (label.failure! - alarm.t) / 60e3;
  const when =
    lead > 0 ? `${formatMinutes(lead)} before the failure` : `${formatMinutes(-lead)} after the failure (too late)`;
  return (
    `The failure model alarmed at ${clock(alarm.t)}, ${when}: it read ${alarm.scenario} ` +
    `with time to failure ~${formatMinutes(alarm.ttfMinutes)} (risk ${riskWords(alarm.risk)}).${quietBefore}`
  );
}

/**
 * Compares the analysis before and after the injection. `traceBefore`/`traceAfter` are the model's traces for
 * the injected entity over traceRange(label, …) on each version of the data (see riskTrace).
 */
export function compareWhatIf(
  label: ScenarioLabel,
  before: Report,
  after: Report,
  traceBefore: RiskPoint[],
  traceAfter: RiskPoint[],
): WhatIfResult {
  const interval = effectInterval(label, after.input.start, after.input.end);
  const b = side(before, traceBefore, label, interval);
  const a = side(after, traceAfter, label, interval);
  const failureInData = label.kind === 'failure' && label.failure! <= after.input.end;
  return {
    label,
    interval,
    failureInData,
    before: b,
    after: a,
    summary: [detectorSentence(label, b, a), modelSentence(label, b, a, failureInData)],
  };
}
