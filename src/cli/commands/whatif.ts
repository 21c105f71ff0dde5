// `aura whatif FILE --scenario S --instance HOST`: injects a scenario into the file's own data and reports
// how the anomaly detector and the failure model respond, next to their view of the data as it is.
import { availableParallelism } from 'node:os';
import { SETTINGS_OPTIONS, numberFlag, parseCommand, settingsFlags, type CommandSpec } from '../args.ts';
import { CliError } from '../errors.ts';
import { loadMetricFile } from '../load.ts';
import { MAP_DETAILS, MAP_OPTION, STEP_OPTION, stepFlag, analyseFile, mapFlag } from '../analysis.ts';
import { modelPredictor } from '../../lib/analysis/index.ts';
import type { MetricFrame } from '../../lib/frame/types.ts';
import { frameTimeRange } from '../../lib/frame/stats.ts';
import { injectScenario } from '../../lib/synth/inject.ts';
import { ALL_SCENARIOS, isScenarioName, isFailureScenario } from '../../lib/synth/scenarios.ts';
import { entityOf } from '../../lib/domain/channels.ts';
import { suggestColumnRoles } from '../../lib/lnn/column-roles.ts';
import { compareWhatIf, traceRange } from '../../lib/whatif/compare.ts';
import { whatIfMarkdown } from '../../lib/whatif/markdown.ts';
import { parseWhen } from '../../lib/whatif/when.ts';

export const spec: CommandSpec = {
  summary: 'inject a failure or look-alike into your own data and show how detector and model respond',
  usage:
    'aura whatif FILE --scenario NAME --instance HOST [--onset WHEN] [--failure WHEN] [--strength X] ' +
    '[--map COL=CHANNEL,…] [--window N] [--stride N] [--workers N] [--json]',
  file: true,
  options: {
    scenario: { type: 'string', arg: 'NAME', help: 'what to inject (see the list below)' },
    instance: { type: 'string', arg: 'HOST', help: "the host (entity) to inject into, or 'all'" },
    onset: { type: 'string', arg: 'WHEN', help: 'when it starts (default: 60% into the data)' },
    failure: { type: 'string', arg: 'WHEN', help: 'when a failure scenario fails (default: +3h after the onset)' },
    strength: { type: 'string', arg: 'X', help: 'scale of the effect, 0.1–10 (default 1)' },
    workers: { type: 'string', arg: 'N', help: 'worker threads for the timeline (default: the number of cores)' },
    json: { type: 'boolean', help: 'print the comparison and the risk traces as JSON' },
    ...MAP_OPTION,
    ...STEP_OPTION,
    ...SETTINGS_OPTIONS,
  },
  details: [
    `scenarios: ${ALL_SCENARIOS.join(', ')}`,
    'WHEN: an ISO time, epoch seconds or ms, a share of the span (60%), a time before the end (-6h);',
    '      --failure also takes a time after the onset (+3h). The file is never changed.',
    MAP_DETAILS,
    '  The scenario acts on the columns as mapped, and the model reads them so.',
  ],
  examples: [
    'aura whatif demo.csv --scenario memory_leak --instance host-4 --onset 40% --failure +4h',
    'aura whatif metrics.csv --scenario traffic_spike --instance web-1 --onset -6h --json',
    'aura whatif machine.csv --map m0=cpu,m5=memory:used --scenario memory_leak --instance all',
  ],
};

function span(frame: MetricFrame): [number, number] {
  const range = frameTimeRange(frame);
  if (!range || !(range[1] > range[0]))
    throw new CliError('the file holds too little data for a what-if (needs a span of time)');
  return range;
}

export async function run(args: string[]): Promise<number> {
  const { file, parsed } = parseCommand(spec, args);
  const scenario = parsed.flags.get('scenario');
  if (typeof scenario !== 'string' || !isScenarioName(scenario))
    throw new CliError(`--scenario must be one of ${ALL_SCENARIOS.join(', ')}`);
  const instance = parsed.flags.get('instance');
  const settings = settingsFlags(parsed);
  const workers = numberFlag(parsed, 'workers', availableParallelism(), { integer: true, min: 1, max: 64 });
  const strength = numberFlag(parsed, 'strength', 1, { min: 0.1, max: 10 });

  const frame = await loadMetricFile(file);
  const roles = mapFlag(parsed, frame);
  const entities = [...new Set(frame.series.map((s) => entityOf(s.labels)))];
  if (typeof instance !== 'string')
    throw new CliError(`--instance is required: one of ${entities.slice(0, 12).join(', ')}`);
  const [start, end] = span(frame);
  const when = (flag: string, fallback: number, onset?: number) => {
    const raw = parsed.flags.get(flag);
    if (raw === undefined) return fallback;
    try {
      return parseWhen(String(raw), { start, end, onset });
    } catch (err) {
      throw new CliError(`--${flag}: ${(err as Error).message}`);
    }
  };
  const onset = when('onset', start + 0.6 * (end - start));
  if (onset < start || onset >= end)
    throw new CliError(`--onset must fall inside the data (${iso(start)} to ${iso(end)}), got ${iso(onset)}`);
  const failure = isFailureScenario(scenario) ? when('failure', onset + 3 * 3600e3, onset) : undefined;

  let injected;
  try {
    injected = injectScenario(frame, { scenario, instance, onset, failure, strength, roles });
  } catch (err) {
    // Columns named m0, m5, …: the injector cannot tell what they are until --map says.
    const unnamed = !roles && suggestColumnRoles(frame) !== null;
    const hint = unnamed ? ' Or say what the columns measure with --map (see aura whatif --help).' : '';
    throw new CliError((err as Error).message + hint);
  }
  const { createNodePredictor, riskTrace } = await import('../../lib/lnn/index.ts');
  const predictor = await createNodePredictor();
  const analysis = { workers, predictor: modelPredictor(predictor), stepMs: stepFlag(parsed), roles };
  const before = await analyseFile(frame, file, settings, analysis);
  const after = await analyseFile(injected.frame, file, settings, analysis);
  const [from, to] = traceRange(injected.label, start, end);
  const result = compareWhatIf(
    injected.label,
    before,
    after,
    await riskTrace(predictor, frame, instance, from, to, undefined, roles),
    await riskTrace(predictor, injected.frame, instance, from, to, undefined, roles),
  );
  if (parsed.flags.has('json')) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else process.stdout.write(whatIfMarkdown(result, before, after));
  return 0;
}

const iso = (t: number) => new Date(t).toISOString();
