// `aura analyze FILE`: the anomaly timeline (topology of sliding windows, distance to a baseline, attributed
// spans) and the failure predictions of a metrics file, printed as the one Report.
import { availableParallelism } from 'node:os';
import {
  SETTINGS_OPTIONS,
  numberFlag,
  parseCommand,
  settingsFlags,
  type CommandSpec,
  type ParsedArgs,
} from '../args.ts';
import type { MetricFrame } from '../../lib/frame/types.ts';
import { frameTimeRange } from '../../lib/frame/stats.ts';
import { appendSamples } from '../../lib/frame/append.ts';
import { parseWhen } from '../../lib/whatif/when.ts';
import { CliError } from '../errors.ts';
import { loadMetricFile } from '../load.ts';
import { MAP_DETAILS, MAP_OPTION, STEP_OPTION, stepFlag, analyseFile, cliPredictor, mapFlag } from '../analysis.ts';
import { reportMarkdown } from '../../lib/report/markdown.ts';
import { timelineCsv } from '../../lib/report/csv.ts';

export const spec: CommandSpec = {
  summary: 'anomaly timeline (where behaviour changed shape, and which series) and failure predictions',
  usage:
    'aura analyze FILE [--window N] [--stride N] [--cloud auto|state|takens] [--max-dim N] [--threshold Z] ' +
    '[--normalise noise|robust|zscore|minmax] [--fast | --no-fast] [--entity LABEL] [--baseline-from WHEN --baseline-to WHEN | --baseline-file FILE] ' +
    '[--map COL=CHANNEL,…] [--workers N] [--json | --md | --csv] [--no-predict] [--fail-on-anomaly]',
  file: true,
  options: {
    json: { type: 'boolean', help: 'print the Report as JSON (the same object the app exports)' },
    md: { type: 'boolean', help: 'print the Report as Markdown (the default)' },
    csv: { type: 'boolean', help: 'print the timeline as CSV: one row per window' },
    'no-predict': { type: 'boolean', help: 'skip the failure model' },
    'fail-on-anomaly': { type: 'boolean', help: 'exit with code 1 when an anomaly span is found (for CI and cron)' },
    workers: { type: 'string', arg: 'N', help: 'worker threads for the timeline (default: the number of cores)' },
    entity: {
      type: 'string',
      arg: 'LABEL',
      help: 'the label that names hosts (default: the first of instance, host, pod, node, job present)',
    },
    'baseline-from': { type: 'string', arg: 'WHEN', help: 'start of the normal-operation period (default: the start)' },
    'baseline-to': { type: 'string', arg: 'WHEN', help: 'end of the normal-operation period (default: 15 % in)' },
    'baseline-file': {
      type: 'string',
      arg: 'FILE',
      help: 'a file of normal operation that precedes FILE in time: it is the baseline',
    },
    ...MAP_OPTION,
    ...STEP_OPTION,
    ...SETTINGS_OPTIONS,
  },
  details: [
    'FILE: wide or long CSV, InfluxDB CSV, Prometheus API JSON, exposition/OpenMetrics text, or promtool tsdb dump.',
    'WHEN: an ISO time, epoch seconds or ms, a share of the span (60%), a time before the end (-6h).',
    'Fleets: each host gets its own timeline on its own baseline; hosts are ranked by concern in `entities`,',
    '  hosts that split off from their peers are `outlier`s, and events on many hosts at once are `fleet.spans`.',
    MAP_DETAILS,
    '  Without it, a file whose column names say nothing gets a note saying which mapping would enable predictions.',
    'Exit codes: 0 done, 1 an anomaly was found with --fail-on-anomaly, 2 bad input (one line on stderr).',
  ],
  examples: [
    'aura analyze metrics.csv',
    'aura analyze metrics.csv --json > report.json',
    'aura analyze fleet.csv --entity pod --baseline-to 2026-01-05T06:00:00Z',
    'aura analyze today.csv.gz --baseline-file last-week.csv.gz',
    'aura analyze machine-1-1.csv --map m0=cpu,m5=memory:used,m12=io',
    'aura analyze metrics.csv --window 120 --stride 20 --threshold 5 --fail-on-anomaly',
  ],
};

/** The reference period from --baseline-file, or --baseline-from/--baseline-to; undefined: the default share. */
async function baselineOf(
  parsed: ParsedArgs,
  frame: MetricFrame,
): Promise<{ period: { from?: number; to: number }; frame?: MetricFrame } | undefined> {
  const file = parsed.flags.get('baseline-file');
  const from = parsed.flags.get('baseline-from');
  const to = parsed.flags.get('baseline-to');
  if (typeof file === 'string') {
    if (from !== undefined || to !== undefined)
      throw new CliError('give either --baseline-file or --baseline-from/--baseline-to, not both');
    const base = await loadMetricFile(file);
    const range = frameTimeRange(base);
    const main = frameTimeRange(frame);
    if (!range) throw new CliError(`${file}: the baseline file holds no samples`);
    if (main && range[1] >= main[0])
      throw new CliError(`${file}: the baseline file must end before the analysed file starts (${iso(main[0])})`);
    return { period: { from: range[0], to: range[1] }, frame: base };
  }
  if (from === undefined && to === undefined) return undefined;
  const range = frameTimeRange(frame);
  if (!range) throw new CliError('the file holds no samples');
  const when = (flag: string, raw: string | true | undefined, fallback: number) => {
    if (typeof raw !== 'string') return fallback;
    try {
      return parseWhen(raw, { start: range[0], end: range[1] });
    } catch (err) {
      throw new CliError(`--${flag}: ${(err as Error).message}`);
    }
  };
  const period = {
    from: when('baseline-from', from, range[0]),
    to: when('baseline-to', to, range[0] + 0.15 * (range[1] - range[0])),
  };
  if (!(period.to > period.from)) throw new CliError('--baseline-to must be after --baseline-from');
  return { period };
}

const iso = (t: number) => new Date(t).toISOString();

export async function run(args: string[]): Promise<number> {
  const { file, parsed } = parseCommand(spec, args);
  const outputs = ['json', 'md', 'csv'].filter((f) => parsed.flags.has(f));
  if (outputs.length > 1) throw new CliError(`choose one of --json, --md and --csv`);
  const settings = settingsFlags(parsed);
  const workers = numberFlag(parsed, 'workers', availableParallelism(), { integer: true, min: 1, max: 64 });

  let frame = await loadMetricFile(file);
  const baseline = await baselineOf(parsed, frame);
  if (baseline?.frame) frame = appendSamples(baseline.frame, frame);
  const roles = mapFlag(parsed, frame);
  const entity = parsed.flags.get('entity');
  const predictor = parsed.flags.has('no-predict') ? null : cliPredictor();
  const report = await analyseFile(frame, file, settings, {
    workers,
    predictor,
    entity: typeof entity === 'string' ? entity : undefined,
    baseline: baseline?.period,
    stepMs: stepFlag(parsed),
    roles,
  });

  if (parsed.flags.has('json')) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (parsed.flags.has('csv')) process.stdout.write(timelineCsv(report));
  else process.stdout.write(reportMarkdown(report));
  return parsed.flags.has('fail-on-anomaly') && report.anomalies.length > 0 ? 1 : 0;
}
