// `aura synth`: writes a seeded synthetic fleet (node_exporter-like metrics with labelled failures) to stdout.
import { writeFileSync } from 'node:fs';
import { numberFlag, parseCommand, type CommandSpec } from '../args.ts';
import { CliError } from '../errors.ts';
import {
  ALL_SCENARIOS,
  SYNTH_FORMATS,
  demoScenario,
  formatFrame,
  generateScenario,
  isScenarioName,
  type ScenarioName,
  type SynthFormat,
  type SynthResult,
} from '../../lib/synth/index.ts';

export const spec: CommandSpec = {
  summary: 'generate labelled synthetic node_exporter metrics (failures and benign look-alikes)',
  usage:
    'aura synth [--hosts N] [--hours H] [--step S] [--seed K] [--scenario name,...] ' +
    '[--format wide-csv|long-csv|openmetrics] [--preset demo] [--labels FILE.json]',
  file: false,
  options: {
    hosts: { type: 'string', arg: 'N', help: 'hosts in the fleet, 1–1000 (default 5)' },
    hours: { type: 'string', arg: 'H', help: 'length of the data in hours (default 24)' },
    step: { type: 'string', arg: 'S', help: 'seconds between samples, 1–3600 (default 15)' },
    seed: { type: 'string', arg: 'K', help: 'random seed: the same seed gives the same data (default 1)' },
    scenario: { type: 'string', arg: 'LIST', help: 'comma-separated scenarios to include (default: a seeded mix)' },
    format: { type: 'string', arg: 'FORMAT', help: `output format: ${SYNTH_FORMATS.join(', ')} (default wide-csv)` },
    preset: { type: 'string', arg: 'demo', help: "the app's demo fleet (5 hosts, 24 h at 15 s)" },
    labels: { type: 'string', arg: 'FILE.json', help: 'also write what was injected where and when' },
  },
  details: [`scenarios: ${ALL_SCENARIOS.join(', ')}`],
  examples: [
    'aura synth --preset demo > demo.csv',
    'aura synth --hosts 100 --hours 24 --step 60 --labels labels.json > fleet.csv',
    'aura synth --scenario memory_leak,disk_fill --format openmetrics > leak.om',
  ],
};

export async function run(args: string[]): Promise<number> {
  const { parsed } = parseCommand(spec, args);
  const format = (parsed.flags.get('format') ?? 'wide-csv') as SynthFormat;
  if (!SYNTH_FORMATS.includes(format))
    throw new CliError(`--format must be one of ${SYNTH_FORMATS.join(', ')}, got '${String(format)}'`);

  let result: SynthResult;
  const preset = parsed.flags.get('preset');
  if (preset !== undefined) {
    if (preset !== 'demo') throw new CliError(`unknown --preset '${String(preset)}'; the only preset is 'demo'`);
    const extra = [...parsed.flags.keys()].filter((k) => k !== 'preset' && k !== 'format' && k !== 'labels');
    if (extra.length > 0) throw new CliError(`--preset demo fixes the data; drop --${extra.join(', --')}`);
    result = demoScenario();
  } else {
    const rawScenarios = parsed.flags.get('scenario');
    let scenarios: ScenarioName[] | undefined;
    if (rawScenarios !== undefined) {
      if (rawScenarios === true) throw new CliError('--scenario needs a comma-separated list');
      scenarios = rawScenarios
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean) as ScenarioName[];
      const bad = scenarios.find((s) => !isScenarioName(s));
      if (bad) throw new CliError(`unknown scenario '${bad}'; choose from ${ALL_SCENARIOS.join(', ')}`);
    }
    const hosts = numberFlag(parsed, 'hosts', 5, { integer: true, min: 1, max: 1000 });
    const hours = numberFlag(parsed, 'hours', 24, { min: 0.01, max: 24 * 366 });
    const step = numberFlag(parsed, 'step', 15, { min: 1, max: 3600 });
    const seed = numberFlag(parsed, 'seed', 1, { integer: true });
    try {
      result = generateScenario({ hosts, hours, stepSeconds: step, seed, scenarios });
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }
  const labelsPath = parsed.flags.get('labels');
  if (labelsPath === true) throw new CliError('--labels needs a file name');
  if (labelsPath !== undefined) {
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const labels = result.labels.map((l) => ({ ...l, onset: iso(l.onset), failure: iso(l.failure), end: iso(l.end) }));
    try {
      writeFileSync(labelsPath, JSON.stringify(labels, null, 2) + '\n');
    } catch (err) {
      throw new CliError(`cannot write labels to ${labelsPath}: ${(err as Error).message}`);
    }
  }
  await writeOut(formatFrame(result.frame, format));
  return 0;
}

/** Writes to stdout respecting back-pressure, so a large dataset piped to `head` does not fill memory. */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? resolve() : reject(err)));
    process.stdout.write(text, () => resolve());
  });
}
