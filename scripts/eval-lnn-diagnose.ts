// Why does the failure model alarm on real benign data? Validation backgrounds only (the SMD dev machines'
// train halves, the NAB tuning files the model was not trained on: scripts/train/real.ts); it never loads a
// held-out file. For each false alarm episode it prints the scenario, the horizon that fired, how long the
// episode lasted and what the input looked like when it began (each channel's level, 30-min slope and
// volatility, the raw value against the previous 2 h), then a summary by kind of input, and the false alarm
// rate and injected recall an alarm would have at the card's thresholds if it needed k consecutive buckets
// (persistence) instead of one.
//   node bin/run-ts.js scripts/eval-lnn-diagnose.ts --model /tmp/m/aura-cfc.onnx [--episodes]
import { pathToFileURL } from 'node:url';
import type { MetricFrame } from '../src/lib/frame/types.ts';
import { createNodePredictor, riskTrace, type RiskPoint } from '../src/lib/lnn/index.ts';
import { alarmPersistence, alarmThreshold, sustained } from '../src/lib/lnn/card.ts';
import { extractFeatures, type HostFeatures } from '../src/lib/lnn/features.ts';
import { CHANNELS, FEATURE_COUNT, FEATURE_NAMES, HORIZONS } from '../src/lib/lnn/spec.ts';
import { createRng } from '../src/lib/synth/rng.ts';
import { falseEpisodes } from './eval-lnn-real.ts';
import {
  hasRealData,
  injectedCases,
  loadSmd,
  nabFrames,
  SMD_DEV_MACHINES,
  trainedNabFiles,
  validationBackgrounds,
  validationNab,
} from './train/real.ts';

const col = (n: string) => FEATURE_NAMES.indexOf(n);

/** What a channel's input looked like at bucket k: level, slope, volatility and the level's 2-h range before. */
function channelAt(h: HostFeatures, c: string, k: number) {
  const f = (n: string, j = k) => h.features[j * FEATURE_COUNT + col(`${c}_${n}`)];
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = Math.max(0, k - 24); j < k; j++) {
    if (!h.observed[j]) continue;
    lo = Math.min(lo, f('level', j));
    hi = Math.max(hi, f('level', j));
  }
  return { level: f('level'), slope: f('slope'), vol: f('volatility'), lo, hi };
}

/** A rough kind for an episode's start, from its channels' inputs (for the summary only). */
function kindOf(inputs: Record<string, ReturnType<typeof channelAt>>): string {
  const kinds: string[] = [];
  for (const [c, x] of Object.entries(inputs)) {
    const bounded = c === 'cpu' || c === 'io' || c === 'memory' || c === 'disk' || c === 'swap';
    if (bounded && x.level >= 0.9) kinds.push(`${c} ≥ 90 %`);
    else if (bounded && x.level - x.hi > 0.2) kinds.push(`${c} step up`);
    else if (!bounded && x.level - x.hi > 1) kinds.push(`${c} ×e above its 2 h max`);
    else if (!bounded && x.level > 1) kinds.push(`${c} ×e above baseline`);
    else if (x.vol > 0.1) kinds.push(`${c} volatile`);
  }
  return kinds.length ? kinds.join(' + ') : 'other';
}

async function main() {
  if (!hasRealData()) {
    console.log('SKIPPED: the diagnosis needs ../shared/data (smd, nab) beside the checkout');
    return;
  }
  const i = process.argv.indexOf('--model');
  const model = i >= 0 ? process.argv[i + 1] : 'aura-cfc';
  const listEpisodes = process.argv.includes('--episodes');
  const p = await createNodePredictor({ model });
  const trained = trainedNabFiles(p.card);
  const thresholds = HORIZONS.map((h) => alarmThreshold(p.card, h.name));
  if (alarmPersistence(p.card) > 1) throw new Error('diagnose a card without persistence: the table below adds it');
  console.log(`model ${model}, thresholds ${thresholds.join(' / ')}; NAB files trained on: ${trained.join(', ')}`);
  const kinds = new Map<string, number>();
  const lengths = new Map<string, number>();
  const traces: { source: string; trace: RiskPoint[]; exclude: [number, number][]; days: number }[] = [];
  for (const b of validationBackgrounds(trained)) {
    const entity = b.frame.series[0].labels.instance ?? 'all';
    const [host] = extractFeatures(b.frame, { ph: p.ph, roles: b.roles });
    if (!host) continue;
    const trace = await riskTrace(p, b.frame, entity, -Infinity, Infinity, Infinity, b.roles);
    const exclude = b.exclude ?? [];
    const { episodes, days } = falseEpisodes(trace, exclude);
    traces.push({ source: b.source, trace, exclude, days });
    const present = CHANNELS.filter(
      (c) => host.features[host.observed.indexOf(1) * FEATURE_COUNT + col(`${c}_present`)],
    );
    console.log(
      `\n${b.source}: ${days.toFixed(1)} benign days, ${episodes} false alarm episodes (${(episodes / days).toFixed(2)}/day); channels ${present.join(', ')}`,
    );
    const byTime = new Map(Array.from(host.times, (t, k) => [t, k]));
    trace.forEach((pt, j) => {
      if (!pt.alarm || (j > 0 && trace[j - 1].alarm)) return;
      let end = j;
      while (end + 1 < trace.length && trace[end + 1].alarm) end++;
      if (exclude.some(([a, z]) => pt.t <= z && trace[end].t >= a)) return;
      const k = byTime.get(pt.t)!;
      const inputs = Object.fromEntries(present.map((c) => [c, channelAt(host, c, k)]));
      const kind = kindOf(inputs);
      const len = end - j + 1;
      const lenKey = len === 1 ? '1 bucket' : len === 2 ? '2 buckets' : len <= 5 ? '3-5 buckets' : '6+ buckets';
      kinds.set(`${pt.scenario}: ${kind}`, (kinds.get(`${pt.scenario}: ${kind}`) ?? 0) + 1);
      lengths.set(lenKey, (lengths.get(lenKey) ?? 0) + 1);
      if (!listEpisodes) return;
      const fired = HORIZONS.filter((h, n) => pt.risk[h.name] >= thresholds[n]).map((h) => h.name);
      const ins = Object.entries(inputs)
        .map(
          ([c, x]) =>
            `${c} ${x.level.toFixed(2)} (2h ${x.lo.toFixed(2)}..${x.hi.toFixed(2)}, slope ${x.slope.toFixed(2)}/h, vol ${x.vol.toFixed(2)})`,
        )
        .join('; ');
      console.log(
        `  ${new Date(pt.t).toISOString().slice(0, 16)} ${len} bkt ${pt.scenario} [${fired.join(',')}] ` +
          `risk ${HORIZONS.map((h) => pt.risk[h.name].toFixed(2)).join('/')}: ${ins}`,
      );
    });
  }
  console.log('\nfalse alarm episodes by scenario and input at their start:');
  for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${k}`);
  console.log('by length:', Object.fromEntries(lengths));

  // Persistence: false alarms on these backgrounds, and recall on failures injected into them.
  const rng = createRng(880_000);
  const injected = [];
  for (const frame of [...SMD_DEV_MACHINES.map((m) => loadSmd(m, 'train')), ...nabFrames(validationNab(trained))])
    for (const c of injectedCases(frame, 8, rng)) {
      const entity = c.frame.series[0].labels.instance ?? 'all';
      injected.push({ c, trace: await riskTrace(p, c.frame as MetricFrame, entity, -Infinity, Infinity, Infinity) });
    }
  const days = traces.reduce((d, t) => d + t.days, 0);
  console.log(
    `\n| needs k buckets | false alarms/host-day (${days.toFixed(1)} d) | injected alarmed before failure (${injected.length}) | median lead min |\n|---:|---:|---:|---:|`,
  );
  for (const k of [1, 2, 3, 4, 6]) {
    const fa = traces.reduce((n, t) => {
      const a = sustained(
        t.trace.map((x) => x.alarm),
        k,
      );
      return n + falseEpisodes(t.trace, t.exclude, (_, j) => a[j]).episodes;
    }, 0);
    const leads: number[] = [];
    for (const { c, trace } of injected) {
      const a = sustained(
        trace.map((x) => x.alarm),
        k,
      );
      const j = trace.findIndex((x, n) => a[n] && x.t >= c.label.onset && x.t < c.label.failure!);
      if (j >= 0) leads.push((c.label.failure! - trace[j].t) / 60e3);
    }
    leads.sort((x, y) => x - y);
    console.log(
      `| ${k} | ${(fa / days).toFixed(3)} | ${leads.length} | ${leads.length ? leads[leads.length >> 1].toFixed(0) : 'n/a'} |`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
