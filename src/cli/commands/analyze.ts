// `aura analyze FILE`: reads a metrics file, computes the anomaly timeline (topology of sliding windows,
// distance to a baseline, attributed spans) and the failure predictions, and prints the one Report.
import { availableParallelism } from 'node:os';
import { numberFlag, parseFileCommand, type ParsedArgs } from '../args.ts';
import { CliError } from '../errors.ts';
import { loadMetricFile } from '../load.ts';
import type { MetricFrame } from '../../lib/frame/types.ts';
import type { Prediction, Report } from '../../lib/report/types.ts';
import type { Predictor } from '../../lib/lnn/predict.ts';
import { alignFrame } from '../../lib/cloud/align.ts';
import { AnomalyTimeline, InProcessRunner, type TimelineOptions, type WindowRunner } from '../../lib/timeline/index.ts';
import { createNodeTopology } from '../../node/topology.ts';
import { NodePool } from '../../node/pool.ts';
import { buildReport } from '../../lib/report/build.ts';
import { reportMarkdown } from '../../lib/report/markdown.ts';
import { timelineCsv } from '../../lib/report/csv.ts';

export const summary = 'anomaly timeline (where behaviour changed shape, and which series) and failure predictions';
export const usage =
  'aura analyze FILE [--window N] [--stride N] [--cloud state|takens] [--max-dim N] [--threshold Z] ' +
  '[--normalise noise|robust|zscore|minmax] [--workers N] [--json | --md | --csv] [--no-predict] [--fail-on-anomaly]';

const BOOLEANS = ['json', 'md', 'csv', 'no-predict', 'fail-on-anomaly'];
const VALUED = ['window', 'stride', 'cloud', 'max-dim', 'threshold', 'normalise', 'workers'];

export function timelineOptions(parsed: ParsedArgs): Partial<TimelineOptions> {
  const o: Partial<TimelineOptions> = {};
  if (parsed.flags.has('window')) o.window = numberFlag(parsed, 'window', 60, { integer: true, min: 4, max: 5000 });
  if (parsed.flags.has('stride')) o.stride = numberFlag(parsed, 'stride', 10, { integer: true, min: 1, max: 5000 });
  if (parsed.flags.has('max-dim')) o.maxDim = numberFlag(parsed, 'max-dim', 1, { integer: true, min: 0, max: 2 });
  if (parsed.flags.has('threshold')) o.threshold = numberFlag(parsed, 'threshold', 4, { min: 0 });
  const cloud = parsed.flags.get('cloud');
  if (cloud !== undefined) {
    if (cloud !== 'state' && cloud !== 'takens')
      throw new CliError(`--cloud must be 'state' or 'takens', got '${String(cloud)}'`);
    o.cloud = cloud;
  }
  const norm = parsed.flags.get('normalise');
  if (norm !== undefined) {
    if (norm !== 'noise' && norm !== 'robust' && norm !== 'zscore' && norm !== 'minmax') {
      throw new CliError(`--normalise must be noise, robust, zscore or minmax, got '${String(norm)}'`);
    }
    o.normalise = norm;
  }
  return o;
}

/** Predictions from the CfC model when it can read the file; otherwise none, and a note saying why. */
async function predict(frame: MetricFrame, notes: string[], predictor?: Predictor): Promise<Prediction[]> {
  try {
    const { createNodePredictor, predictFrame } = await import('../../lib/lnn/index.ts');
    const preds = await predictFrame(predictor ?? (await createNodePredictor()), frame);
    if (preds.length === 0) {
      notes.push(
        'no failure predictions: the model reads CPU, memory, disk, network, fd, latency or error metrics, and found none',
      );
    }
    return preds;
  } catch (err) {
    notes.push(`no failure predictions: ${(err as Error).message.split('\n')[0]}`);
    return [];
  }
}

/** The timeline and predictions of one frame, as one Report (also used by `aura whatif`). */
export async function analyseFrame(
  frame: MetricFrame,
  file: string,
  options: Partial<TimelineOptions>,
  /** `predictor`: a loaded model to reuse (otherwise one is loaded when `predict` is set). */
  opts: { workers: number; predict: boolean; predictor?: Predictor },
): Promise<Report> {
  let aligned;
  try {
    aligned = alignFrame(frame);
  } catch (err) {
    throw new CliError(`${file}: ${(err as Error).message}`);
  }
  const notes: string[] = [];
  const rows = aligned.frame.timestamps.length;
  // Workers cost a start-up each (a WebAssembly instance, a TypeScript load); small inputs run in-process.
  const windows = rows / (options.stride ?? 10);
  let runner: WindowRunner;
  if (opts.workers > 1 && windows >= 150) runner = new NodePool(opts.workers);
  else runner = new InProcessRunner(await createNodeTopology());
  let timeline;
  try {
    timeline = await new AnomalyTimeline(runner, options).update(aligned.frame);
  } finally {
    await runner.close();
  }
  const predictions = opts.predict ? await predict(frame, notes, opts.predictor) : [];
  return buildReport({
    frame,
    aligned: aligned.frame,
    timeline,
    predictions,
    rateColumns: aligned.rateColumns,
    notes,
  });
}

export async function run(args: string[]): Promise<number> {
  const { file, parsed } = parseFileCommand(args, { booleans: BOOLEANS, valued: VALUED, usage });
  const outputs = ['json', 'md', 'csv'].filter((f) => parsed.flags.has(f));
  if (outputs.length > 1) throw new CliError(`choose one of --json, --md and --csv`);
  const options = timelineOptions(parsed);
  const workers = numberFlag(parsed, 'workers', availableParallelism(), { integer: true, min: 1, max: 64 });

  const frame = await loadMetricFile(file);
  const report = await analyseFrame(frame, file, options, { workers, predict: !parsed.flags.has('no-predict') });

  if (parsed.flags.has('json')) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (parsed.flags.has('csv')) process.stdout.write(timelineCsv(report));
  else process.stdout.write(reportMarkdown(report));
  return parsed.flags.has('fail-on-anomaly') && report.anomalies.length > 0 ? 1 : 0;
}
