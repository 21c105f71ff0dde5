// A short human summary of a Report, in Markdown: what was read, how, and what changed shape where.
import type { Report } from './types.ts';
import { duration, isoTime } from './format.ts';
import { markdownCell as cell, markdownInline as inline } from '../text/cells.ts';

export function reportMarkdown(r: Report): string {
  const s = r.settings;
  const lines = [`# AURA analysis: ${inline(r.input.origin)}`, ''];
  lines.push(
    `- input: ${r.input.series} series, ${r.input.samples.toLocaleString('en')} samples (${r.input.format}), ` +
      `${isoTime(r.input.start)} to ${isoTime(r.input.end)}, step ${duration(r.input.stepMs)}`,
  );
  const rej = r.input.rejected;
  if (rej && rej.count > 0) {
    const more = rej.count > rej.first.length ? ` (the first ${rej.first.length} below)` : '';
    lines.push(`- rejected: ${rej.count.toLocaleString('en')} row${rej.count === 1 ? '' : 's'} not read${more}`);
    for (const e of rej.first) lines.push(`  - line ${e.line}: ${inline(e.reason)}`);
  }
  const dims = s.maxDim === 0 ? 'H0' : `H0–H${s.maxDim}`;
  lines.push(
    `- method: ${s.cloud === 'state' ? 'state cloud' : 'delay embedding'}, window ${s.window} samples ` +
      `(${duration(s.window * r.input.stepMs)}), stride ${s.stride}, ${dims}, ${s.normalise} scaling` +
      (s.threshold !== undefined ? `, flag above robust z ${s.threshold}` : '') +
      (s.fast === undefined ? '' : s.fast ? ', fast scale on' : ', fast scale off'),
  );
  const a = r.analysis;
  if (a?.baseline) {
    lines.push(
      `- baseline: ${isoTime(a.baseline.start)} to ${isoTime(a.baseline.end)} (${a.baseline.windows} windows), ` +
        `reference window ending ${isoTime(a.baseline.reference)}`,
    );
  }
  if (a?.embedding) {
    lines.push(`- delay embedding: τ = ${a.embedding.delay.join(', ')}; dimension ${a.embedding.dim.join(', ')}`);
  }
  if (a?.rates.length) {
    const shown = a.rates.slice(0, 3).map(inline).join(', ');
    const more = a.rates.length > 3 ? ` and ${a.rates.length - 3} more` : '';
    lines.push(
      `- ${a.rates.length} counter${a.rates.length === 1 ? '' : 's'} read as per-second rates: ${shown}${more}`,
    );
  }
  const flagged = r.timeline.filter((p) => p.anomalous).length;
  lines.push(
    `- windows: ${r.timeline.length} scored, ${flagged} flagged` +
      (a?.skipped.length ? `, ${a.skipped.length} skipped for gaps` : ''),
  );
  const fleet = r.fleet;
  if (fleet && fleet.entities > 1) {
    lines.push(`- fleet: ${fleet.entities} entities by \`${inline(fleet.label ?? '')}\`; ${inline(fleet.aggregation)}`);
  }
  lines.push('');
  if (fleet && fleet.entities > 1) lines.push(...entityLines(r), ...fleetLines(r));
  if (r.anomalies.length === 0) {
    lines.push(r.timeline.length ? 'No change in shape: every window stayed close to the baseline.' : 'No timeline.');
  } else {
    lines.push(`## ${r.anomalies.length} anomal${r.anomalies.length === 1 ? 'y' : 'ies'}`, '');
    const byEntity = r.anomalies.some((x) => x.entity !== undefined);
    lines.push(
      `| ${byEntity ? 'entity | ' : ''}from | detected | to | peak score | series that moved it most |`,
      `| ${byEntity ? '--- | ' : ''}--- | --- | --- | ---: | --- |`,
    );
    for (const x of r.anomalies) {
      const detected = x.detectedAt === undefined ? '-' : isoTime(x.detectedAt);
      lines.push(
        `| ${byEntity ? `${cell(x.entity ?? '-')} | ` : ''}${isoTime(x.start)} | ${detected} | ${isoTime(x.end)} | ` +
          `${x.peak.toFixed(1)} | ${x.series.map(cell).join(', ') || '-'} |`,
      );
    }
  }
  if (r.predictions.length) {
    lines.push(
      '',
      '## Failure predictions',
      '',
      '| entity | scenario | risk | time to failure | confidence |',
      '| --- | --- | --- | --- | ---: |',
    );
    for (const p of r.predictions) {
      const risk = Object.entries(p.risk)
        .map(([h, v]) => `${h} ${(100 * v).toFixed(0)}%`)
        .join(', ');
      const ttf = p.ttfMinutes === null ? '-' : `~${duration(p.ttfMinutes * 60_000)}`;
      lines.push(`| ${cell(p.entity)} | ${p.scenario} | ${risk} | ${ttf} | ${p.confidence.toFixed(2)} |`);
    }
  }
  if (a?.notes.length) lines.push('', ...a.notes.map((n) => `> ${inline(n)}`));
  return lines.join('\n') + '\n';
}

/** Most concerning entities first (at most 10 rows), with why each is there. */
const ENTITY_ROWS = 10;

function entityLines(r: Report): string[] {
  const entities = r.entities ?? [];
  const shown = entities.filter((e) => e.score > 0).slice(0, ENTITY_ROWS);
  if (shown.length === 0) return ['No entity crossed a threshold.', ''];
  const lines = [
    `## Entities by concern (${shown.length} of ${entities.length})`,
    '',
    '| rank | entity | concern | anomalies | apart from peers since | model |',
    '| ---: | --- | ---: | ---: | --- | --- |',
  ];
  for (const e of shown) {
    const outlier = e.outlier ? `${isoTime(e.outlier.since)} (${e.outlier.score.toFixed(1)})` : '-';
    const model =
      e.scenario && e.scenario !== 'none' ? `${e.scenario}, 1h ${(100 * (e.risk?.['1h'] ?? 0)).toFixed(0)}%` : '-';
    lines.push(
      `| ${e.rank} | ${cell(e.entity)} | ${e.score.toFixed(2)} | ${e.anomalies.length} | ${outlier} | ${model} |`,
    );
  }
  lines.push(
    '',
    'Concern is in threshold units: above 1, an anomaly, a split from the peers or a model alarm crossed its threshold.',
    '',
  );
  return lines;
}

function fleetLines(r: Report): string[] {
  const spans = r.fleet?.spans ?? [];
  if (spans.length === 0) return [];
  const lines = [
    `## ${spans.length} fleet-wide event${spans.length === 1 ? '' : 's'}`,
    '',
    '| from | detected | to | entities | series |',
    '| --- | --- | --- | ---: | --- |',
  ];
  for (const f of spans) {
    lines.push(
      `| ${isoTime(f.start)} | ${isoTime(f.detectedAt)} | ${isoTime(f.end)} | ${f.entities.length} | ${f.series.map(cell).join(', ') || '-'} |`,
    );
  }
  lines.push('');
  return lines;
}
