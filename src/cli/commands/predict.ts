// `aura predict FILE [--json] [--at TIME] [--map COL=CHANNEL,…] [--model NAME] [--no-topology]`: failure risk per host from the
// CfC model (onnxruntime-web, WASM backend) as of the end of the file (or --at).
import { parseCommand, type CommandSpec } from '../args.ts';
import { MAP_OPTION, cliPredictor, mapFlag } from '../analysis.ts';
import { CliError } from '../errors.ts';
import { loadMetricFile } from '../load.ts';
import { frameTimeRange } from '../../lib/frame/stats.ts';
import { parseWhen } from '../../lib/whatif/when.ts';
import type { Prediction } from '../../lib/report/types.ts';
import { formatMinutes } from '../../lib/lnn/recommend.ts';
import { CHANNELS } from '../../lib/lnn/spec.ts';
import { suggestColumnRoles } from '../../lib/lnn/column-roles.ts';

export const spec: CommandSpec = {
  summary: 'predict failure risk, time to failure and scenario per host with the CfC model',
  usage: 'aura predict FILE [--json] [--at WHEN] [--map COL=CHANNEL,…] [--model NAME] [--no-topology]',
  file: true,
  options: {
    json: { type: 'boolean', help: 'print the predictions as JSON' },
    at: { type: 'string', arg: 'WHEN', help: 'predict as of this time (default: the last sample)' },
    ...MAP_OPTION,
    model: { type: 'string', arg: 'NAME', help: 'a model in models/ (default aura-cfc)' },
    'no-topology': { type: 'boolean', help: 'leave out the topological features (faster, less accurate)' },
  },
  details: [
    'WHEN: an ISO time, epoch seconds or ms, a share of the span (60%), a time before the end (-6h).',
    'The model reads CPU, memory, disk, network, fd, latency and error metrics, grouped by instance/host.',
    'Columns map to them by name; --map says what the others are (channels: ' + CHANNELS.join(', ') + ').',
  ],
  examples: [
    'aura predict metrics.csv',
    'aura predict metrics.csv --at -2h --json',
    'aura predict machine.csv --map m0=cpu,m5=memory:used',
  ],
};

const pct = (p: number) => `${(100 * p).toFixed(0)}%`.padStart(4);

function render(preds: Prediction[], at: number): string {
  const lines = [`as of ${new Date(at).toISOString().replace('.000Z', 'Z')}`, ''];
  const head = ['entity', 'scenario', '15m', '1h', '6h', 'time to failure', 'confidence'];
  const rows = preds.map((p) => [
    p.entity,
    p.scenario,
    pct(p.risk['15m'] ?? 0),
    pct(p.risk['1h'] ?? 0),
    pct(p.risk['6h'] ?? 0),
    p.ttfMinutes === null
      ? '-'
      : `~${formatMinutes(p.ttfMinutes)} (${formatMinutes(p.ttfInterval![0])} – ${formatMinutes(p.ttfInterval![1])})`,
    p.confidence.toFixed(2),
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const fmt = (r: string[]) => r.map((c, j) => c.padEnd(widths[j])).join('  ');
  lines.push(fmt(head));
  for (const r of rows) lines.push(fmt(r));
  const advice = preds.flatMap((p) => p.recommendations);
  if (advice.length) lines.push('', 'recommendations:', ...advice.map((a) => `  - ${a}`));
  return lines.join('\n');
}

export async function run(args: string[]): Promise<number> {
  const { file, parsed } = parseCommand(spec, args);
  const frame = await loadMetricFile(file);
  let at: number | undefined;
  const rawAt = parsed.flags.get('at');
  const range = frameTimeRange(frame);
  if (typeof rawAt === 'string' && range) {
    try {
      at = parseWhen(rawAt, { start: range[0], end: range[1] });
    } catch (err) {
      throw new CliError(`--at: ${(err as Error).message}`);
    }
  }
  const model = parsed.flags.get('model');
  const predictor = cliPredictor({
    model: typeof model === 'string' ? model : undefined,
    topology: !parsed.flags.has('no-topology'),
  });
  const roles = mapFlag(parsed, frame);
  const { predictions: preds } = await predictor.predict(frame, { at, roles });
  if (preds.length === 0) {
    throw new CliError(
      `${file}: ${suggestColumnRoles(frame, roles) ?? 'no series the model can read (it needs CPU, memory, disk, network, fd, latency or error metrics)'}`,
    );
  }
  if (parsed.flags.has('json')) {
    process.stdout.write(JSON.stringify(preds, null, 2) + '\n');
    return 0;
  }
  const end = at ?? Math.max(...frame.series.map((s) => s.timestamps[s.timestamps.length - 1] ?? -Infinity));
  process.stdout.write(render(preds, end) + '\n');
  return 0;
}
