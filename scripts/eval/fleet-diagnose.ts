// `node bin/run-ts.js scripts/eval/fleet-diagnose.ts HOSTS SEED [OUT.json]`: why a failing host does or does
// not rank in the top 10 on one generated fleet (for tuning seeds only: never run it on a held-out seed).
// Runs AURA live as scripts/eval-fleet.ts does (cut at each failure − 15 min), and prints per failing host
// its spans, its concern trace, its peer scores, its rank at each cut, and what outranks it; the raw reports
// go to OUT.json for a closer look.
import { writeFileSync } from 'node:fs';
import { Analysis } from '../../src/lib/analysis/index.ts';
import { groupEntities } from '../../src/lib/analysis/entities.ts';
import { DEFAULT_PEER_OPTIONS, peerOutliers } from '../../src/lib/analysis/peers.ts';
import type { Report } from '../../src/lib/report/types.ts';
import { NodePool } from '../../src/node/pool.ts';
import { BASELINE_MS, BEFORE_MS, HELD_OUT, START, cut, makeFleet } from '../eval-fleet.ts';
import { pessimisticRank } from './fleet.ts';

const [hosts, seed] = process.argv.slice(2, 4).map(Number);
const outFile = process.argv[4];
if (!hosts || !seed) {
  console.error('usage: node bin/run-ts.js scripts/eval/fleet-diagnose.ts HOSTS SEED [OUT.json]');
  process.exit(2);
}
if (HELD_OUT.some((c) => c.seed === seed)) {
  console.error(`seed ${seed} is a held-out seed of scripts/eval-fleet.ts: diagnose tuning seeds only`);
  process.exit(2);
}

const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
const f = makeFleet({ hosts, seed });
const failing = new Set(f.failures.map((l) => l.instance));
console.log(
  `${hosts} hosts, seed ${seed}: failures ${f.failures.map((l) => `${l.scenario}@${l.instance} ${hhmm(l.onset)}→${hhmm(l.failure!)}`).join(', ')}`,
);
console.log(
  `fleet-wide: ${f.fleetEvents.map((e) => `${e.scenario} ${hhmm(e.onset)}–${hhmm(e.end ?? e.onset)}`).join(', ')}; single-host benign: ${f.labels
    .filter((l) => l.kind === 'benign' && l.instance !== '*')
    .map((l) => `${l.scenario}@${l.instance} ${hhmm(l.onset)}`)
    .join(', ')}`,
);

const pool = new NodePool();
const cuts: { at: number; host: string; report: Report }[] = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
try {
  const analysis = new Analysis(pool, {}, { baseline: { to: START + BASELINE_MS } });
  for (const fail of f.failures) {
    const at = fail.failure! - BEFORE_MS;
    const report = await analysis.timeline(f.frame, { aligned: cut(f.alignment, at) });
    cuts.push({ at, host: fail.instance!, report });
  }
  const report = await analysis.timeline(f.frame, { aligned: f.alignment });
  cuts.push({ at: Infinity, host: '', report });
} finally {
  await pool.close();
}
const cpu = process.cpuUsage(cpu0);
console.log(
  `analysis: ${((performance.now() - t0) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU in this process (workers not counted)`,
);

const final = cuts[cuts.length - 1].report;
const times = final.timeline.map((p) => p.t);
const aligned = f.alignment.frame;
const groups = groupEntities(aligned, 'instance');
const peers = peerOutliers(aligned, groups, 'instance', times, { ...DEFAULT_PEER_OPTIONS, baselineRows: f.baseRows });
const peerOf = new Map(groups.map((g, e) => [g.entity, peers?.scores[e]]));

console.log('\nfleet spans (final report):');
for (const s of final.fleet?.spans ?? [])
  console.log(
    `  ${hhmm(s.start)} detected ${hhmm(s.detectedAt)} – ${hhmm(s.end)}: ${s.entities.length} entities (failing among them: ${s.entities.filter((e) => failing.has(e)).join(' ') || 'none'}), series ${s.series.join(' ')}`,
  );

for (const why of (final.analysis?.notes ?? []).filter((x) => x.startsWith('fleet-wide event')))
  console.log(`  ${why}`);
console.log('entities flagged per window around each fleet-wide event (final report):');
for (const ev of f.fleetEvents) {
  const near = final.timeline.filter((p) => p.t >= ev.onset - 30 * 60_000 && p.t <= (ev.end ?? ev.onset) + 90 * 60_000);
  console.log(`  ${ev.scenario}: ${near.map((p) => `${hhmm(p.t)} ${p.flagged ?? '-'}`).join(', ')}`);
}

for (const c of cuts.slice(0, -1)) {
  const fail = f.failures.find((l) => l.instance === c.host)!;
  const es = c.report.entities ?? [];
  const concern = new Map(es.map((e) => [e.entity, e.score]));
  const rank = pessimisticRank(concern, c.host);
  const me = es.find((e) => e.entity === c.host)!;
  const above = es.filter((e) => e.entity !== c.host && e.score >= me.score);
  console.log(
    `\n${c.host} (${fail.scenario}, onset ${hhmm(fail.onset)}, failure ${hhmm(fail.failure!)}), as of ${hhmm(c.at)}: rank ${rank}, score ${me.score.toFixed(2)}, ` +
      `${above.length} hosts at or above it (${above.filter((e) => failing.has(e.entity)).length} failing)`,
  );
  for (const s of me.anomalies)
    console.log(
      `  span ${hhmm(s.start)} detected ${hhmm(s.detectedAt)} – ${hhmm(s.end)} peak ${s.peak.toFixed(2)} ${s.series.slice(0, 3).join(' ')}`,
    );
  if (me.outlier)
    console.log(
      `  peer outlier since ${hhmm(me.outlier.since)} until ${hhmm(me.outlier.until)} peak ${me.outlier.score.toFixed(2)}`,
    );
  const idx = c.report.timeline.map((p, i) => [p.t, i] as const).filter(([t]) => t >= fail.onset - 30 * 60_000);
  console.log(`  trace since onset − 30 min: ${idx.map(([t, i]) => `${hhmm(t)} ${me.trace?.[i] ?? '-'}`).join(', ')}`);
  const ps = peerOf.get(c.host);
  console.log(
    `  peer scores since onset − 30 min (full data): ${times
      .map((t, w) => [t, w] as const)
      .filter(([t]) => t >= fail.onset - 30 * 60_000 && t <= c.at)
      .map(([t, w]) => `${hhmm(t)} ${ps?.[w].toFixed(2)}`)
      .join(', ')}`,
  );
  console.log('  top 12 as of then:');
  for (const e of es.slice(0, 12)) {
    const why = [
      e.anomalies.length
        ? `own ${e.anomalies.map((s) => `${hhmm(s.detectedAt)}–${hhmm(s.end)} ${(s.peak / 4).toFixed(2)}`).join(' ')}`
        : '',
      e.outlier ? `peer ${hhmm(e.outlier.since)}–${hhmm(e.outlier.until)} ${(e.outlier.score / 4).toFixed(2)}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    console.log(`    ${e.rank}. ${e.entity}${failing.has(e.entity) ? ' (failing)' : ''} ${e.score.toFixed(2)}: ${why}`);
  }
}

if (outFile) {
  const slim = cuts.map((c) => ({
    at: c.at,
    host: c.host,
    times: c.report.timeline.map((p) => p.t),
    fleet: c.report.fleet,
    entities: c.report.entities?.map((e) => ({
      ...e,
      trace: failing.has(e.entity) || e.rank <= 20 ? e.trace : undefined,
    })),
  }));
  writeFileSync(outFile, JSON.stringify({ hosts, seed, labels: f.labels, cuts: slim }));
  console.log(`\nreports: ${outFile}`);
}
