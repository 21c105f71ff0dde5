// The what-if comparison as Markdown, for `aura whatif`.
import type { Prediction, Report } from '../report/types.ts';
import { formatMinutes } from '../lnn/recommend.ts';
import type { WhatIfResult, WhatIfSide } from './compare.ts';
import { markdownCell, markdownInline } from '../text/cells.ts';

const clock = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
const pct = (p: number) => `${Math.round(100 * p)} %`;

function peakRisk(s: WhatIfSide): string {
  const entries = Object.entries(s.peakRisk);
  return entries.length ? entries.map(([h, v]) => `${h} ${pct(v)}`).join(' · ') : '–';
}

function prediction(report: Report, entity: string): string {
  const p: Prediction | undefined = report.predictions.find((x) => x.entity === entity);
  if (!p) return '–';
  if (p.ttfMinutes === null) return `${p.scenario === 'none' ? 'no failure expected' : p.scenario} (no alarm)`;
  return `${p.scenario}, failure in ~${formatMinutes(p.ttfMinutes)}`;
}

export function whatIfMarkdown(r: WhatIfResult, before: Report, after: Report): string {
  const { label } = r;
  const since = (t: number | null) =>
    t === null ? '–' : `${clock(t)} (${formatMinutes((t - label.onset) / 60e3)} after onset)`;
  const alarm = (t: number | null) => {
    if (t === null) return '–';
    if (label.kind !== 'failure') return clock(t);
    const lead = (label.failure! - t) / 60e3;
    return `${clock(t)} (${lead >= 0 ? `${formatMinutes(lead)} before` : `${formatMinutes(-lead)} after`} the failure)`;
  };
  const score = (s: WhatIfSide) => (Number.isFinite(s.peakScore) ? s.peakScore.toFixed(1) : '–');
  const when =
    label.kind === 'failure'
      ? `onset ${clock(label.onset)}, failure ${clock(label.failure!)}${r.failureInData ? '' : ' (after the data ends)'}`
      : `from ${clock(label.onset)} to ${clock(label.end ?? label.onset)}`;
  const rows: [string, string, string][] = [
    ['anomaly spans in the interval', String(r.before.spans.length), String(r.after.spans.length)],
    ['first window flagged', since(r.before.firstFlag), since(r.after.firstFlag)],
    ['peak anomaly score', score(r.before), score(r.after)],
    ['failure model: first alarm', alarm(r.before.firstAlarm), alarm(r.after.firstAlarm)],
    ['failure model: peak risk', peakRisk(r.before), peakRisk(r.after)],
    ['prediction at the end of the data', prediction(before, label.instance), prediction(after, label.instance)],
  ];
  return [
    `# What if: ${label.scenario} on ${markdownInline(label.instance)}`,
    '',
    `Injected into ${markdownInline(before.input.origin)}: ${when}. The file is unchanged; the scenario exists only in this run.`,
    `Compared over ${clock(r.interval[0])} – ${clock(r.interval[1])}.`,
    '',
    ...r.summary.map((s) => `- ${markdownInline(s)}`),
    '',
    `| | your data | with ${label.scenario} |`,
    '|---|---|---|',
    ...rows.map((row) => `| ${row.map(markdownCell).join(' | ')} |`),
    '',
  ].join('\n');
}
