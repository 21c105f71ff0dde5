// How the CLI hosts the one pipeline: a window runner sized to the input, and the model in-process.
import type { MetricFrame } from '../lib/frame/types.ts';
import type { Report } from '../lib/report/types.ts';
import { analyse, modelPredictor, type FailurePredictor, type Settings } from '../lib/analysis/index.ts';
import { InProcessRunner, type WindowRunner } from '../lib/timeline/runner.ts';
import { DEFAULT_SETTINGS } from '../lib/analysis/settings.ts';
import { createNodeTopology } from '../node/topology.ts';
import { NodePool } from '../node/pool.ts';
import { threadPredictor } from '../node/predict-thread.ts';
import { CliError } from './errors.ts';
import { durationFlag, type ParsedArgs } from './args.ts';
import { parseStep } from '../lib/text/duration.ts';
import { errorLine } from '../lib/text/quote.ts';
import { CHANNELS } from '../lib/lnn/spec.ts';
import { checkColumnRoles, parseColumnRoles, type ColumnRoles } from '../lib/lnn/column-roles.ts';
import { sampleCount } from '../lib/frame/stats.ts';

/**
 * Workers cost a start-up each (a WebAssembly instance, a module load); small inputs run in-process. A fleet
 * has one timeline per host, so its windows are the rows' windows times about one per 12 series.
 */
export async function cliRunner(workers: number, rows: number, stride: number, series = 1): Promise<WindowRunner> {
  if (workers > 1 && (rows / stride) * Math.ceil(series / 12) >= 150) return new NodePool(workers);
  return new InProcessRunner(await createNodeTopology());
}

/**
 * Frames of at least this many samples get the model on a thread of its own (predict-thread.ts): about a
 * second of feature extraction and more, worth a worker's start-up and the copy of the samples.
 */
export const PREDICT_THREAD_SAMPLES = 2_000_000;

/** The committed model, loaded on first use; a model that cannot load fails each predict() with the reason. */
export function cliPredictor(opts: { model?: string; topology?: boolean } = {}): FailurePredictor {
  let loaded: Promise<FailurePredictor> | null = null;
  const thread = threadPredictor(opts);
  const large = (frame: MetricFrame) => sampleCount(frame) >= PREDICT_THREAD_SAMPLES;
  return {
    runsOffThread: large,
    async predict(frame, o) {
      if (large(frame)) return thread.predict(frame, o);
      loaded ??= import('../lib/lnn/index.ts').then(async ({ createNodePredictor }) =>
        modelPredictor(await createNodePredictor(opts), { ep: 'wasm', reason: 'onnxruntime-web in Node' }),
      );
      return (await loaded).predict(frame, o);
    },
  };
}

/** `--step 1m` in milliseconds, or undefined when not given; a bad duration says how to write one. */
export function stepFlag(parsed: ParsedArgs): number | undefined {
  const raw = parsed.flags.get('step');
  return typeof raw === 'string' ? durationFlag(raw, 'step', parseStep) : undefined;
}

export const STEP_OPTION = {
  step: {
    type: 'string',
    arg: 'DURATION',
    help: 'sampling step when the file cannot tell it (one row, irregular rows), e.g. 15s, 1m',
  },
} as const;

export const MAP_OPTION = {
  map: {
    type: 'string',
    arg: 'COL=CHANNEL,…',
    help: 'what columns the names do not explain measure, e.g. m5=memory:used,m12=disk,m3=ignore',
  },
} as const;

/** The help line that lists the channels --map takes. */
export const MAP_DETAILS = `--map channels: ${CHANNELS.join(', ')}, or ignore; :used or :free after memory, swap or disk.`;

/** `--map m5=memory,…` checked against the frame's columns, or undefined when not given. */
export function mapFlag(parsed: ParsedArgs, frame: MetricFrame): ColumnRoles | undefined {
  const raw = parsed.flags.get('map');
  if (typeof raw !== 'string') return undefined;
  try {
    const roles = parseColumnRoles(raw);
    checkColumnRoles(frame, roles);
    return roles;
  } catch (err) {
    throw new CliError(`--map: ${(err as Error).message}`);
  }
}

/** A file's Report through the one pipeline (`aura analyze`, `aura whatif`). */
export async function analyseFile(
  frame: MetricFrame,
  file: string,
  settings: Partial<Settings>,
  opts: {
    workers: number;
    predictor: FailurePredictor | null;
    entity?: string;
    baseline?: { from?: number; to: number };
    stepMs?: number;
    /** Which channel each column feeds where the names do not say (--map). */
    roles?: ColumnRoles;
  },
): Promise<Report> {
  const stride = settings.stride ?? DEFAULT_SETTINGS.stride;
  const runner = await cliRunner(opts.workers, rowsOf(frame), stride, frame.series.length);
  try {
    return await analyse(frame, {
      runner,
      predictor: opts.predictor,
      settings,
      entity: opts.entity,
      baseline: opts.baseline,
      stepMs: opts.stepMs,
      roles: opts.roles,
    });
  } catch (err) {
    // The frame could not be put on a time grid, or the settings do not fit it: the operator's to fix.
    if (err instanceof CliError) throw err;
    throw new CliError(`${file}: ${errorLine(err)}`);
  } finally {
    await runner.close();
  }
}

function rowsOf(frame: MetricFrame): number {
  let rows = 0;
  for (const s of frame.series) rows = Math.max(rows, s.timestamps.length);
  return rows;
}
