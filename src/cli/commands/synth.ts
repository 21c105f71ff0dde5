// `aura synth`: writes a seeded synthetic fleet (node_exporter-like metrics with labelled failures) to stdout.
import { writeFileSync } from 'node:fs';
import { numberFlag, parseArgs } from '../args.ts';
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

export const summary = 'generate labelled synthetic node_exporter metrics (failures and benign look-alikes)';
export const usage =
  'aura synth [--hosts N] [--hours H] [--step S] [--seed K] [--scenario name,...] ' +
  '[--format wide-csv|long-csv|openmetrics] [--preset demo] [--labels FILE.json]';

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed.positional.length > 0)
    throw new CliError(`unexpected argument '${parsed.positional[0]}'; see \`aura synth --help\``);
  const known = new Set(['hosts', 'hours', 'step', 'seed', 'scenario', 'format', 'preset', 'labels']);
  for (const name of parsed.flags.keys()) {
    if (!known.has(name)) throw new CliError(`unknown option --${name}; see \`aura synth --help\``);
  }
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
