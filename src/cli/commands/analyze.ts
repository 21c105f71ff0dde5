// `aura analyze FILE`: the anomaly timeline (topology of sliding windows, distance to a baseline, attributed
// spans) and the failure predictions of a metrics file, printed as the one Report.
import { availableParallelism } from 'node:os';
import { SETTINGS_OPTIONS, numberFlag, parseCommand, settingsFlags, type CommandSpec } from '../args.ts';
import { CliError } from '../errors.ts';
import { loadMetricFile } from '../load.ts';
import { analyseFile, cliPredictor } from '../analysis.ts';
import { reportMarkdown } from '../../lib/report/markdown.ts';
import { timelineCsv } from '../../lib/report/csv.ts';

export const spec: CommandSpec = {
  summary: 'anomaly timeline (where behaviour changed shape, and which series) and failure predictions',
  usage:
    'aura analyze FILE [--window N] [--stride N] [--cloud auto|state|takens] [--max-dim N] [--threshold Z] ' +
    '[--normalise noise|robust|zscore|minmax] [--workers N] [--json | --md | --csv] [--no-predict] [--fail-on-anomaly]',
  file: true,
  options: {
    json: { type: 'boolean', help: 'print the Report as JSON (the same object the app exports)' },
    md: { type: 'boolean', help: 'print the Report as Markdown (the default)' },
    csv: { type: 'boolean', help: 'print the timeline as CSV: one row per window' },
    'no-predict': { type: 'boolean', help: 'skip the failure model' },
    'fail-on-anomaly': { type: 'boolean', help: 'exit with code 1 when an anomaly span is found (for CI and cron)' },
    workers: { type: 'string', arg: 'N', help: 'worker threads for the timeline (default: the number of cores)' },
    ...SETTINGS_OPTIONS,
  },
  details: [
    'FILE: wide or long CSV, InfluxDB CSV, Prometheus API JSON, exposition/OpenMetrics text, or promtool tsdb dump.',
    'Exit codes: 0 done, 1 an anomaly was found with --fail-on-anomaly, 2 bad input (one line on stderr).',
  ],
  examples: [
    'aura analyze metrics.csv',
    'aura analyze metrics.csv --json > report.json',
    'aura analyze metrics.csv --window 120 --stride 20 --threshold 5 --fail-on-anomaly',
  ],
};

export async function run(args: string[]): Promise<number> {
  const { file, parsed } = parseCommand(spec, args);
  const outputs = ['json', 'md', 'csv'].filter((f) => parsed.flags.has(f));
  if (outputs.length > 1) throw new CliError(`choose one of --json, --md and --csv`);
  const settings = settingsFlags(parsed);
  const workers = numberFlag(parsed, 'workers', availableParallelism(), { integer: true, min: 1, max: 64 });

  const frame = await loadMetricFile(file);
  const predictor = parsed.flags.has('no-predict') ? null : cliPredictor();
  const report = await analyseFile(frame, file, settings, { workers, predictor });

  if (parsed.flags.has('json')) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (parsed.flags.has('csv')) process.stdout.write(timelineCsv(report));
  else process.stdout.write(reportMarkdown(report));
  return parsed.flags.has('fail-on-anomaly') && report.anomalies.length > 0 ? 1 : 0;
}
