// `aura ph FILE [--max-dim N] [--threshold T]`: Vietoris–Rips persistence diagrams of a point-cloud CSV,
// printed as JSON ({"diagrams": {"0": [[birth, death], …], …}}, death null for an essential class).
import { readFile } from 'node:fs/promises';
import { numberFlag, parseCommand, type CommandSpec } from '../args.ts';
import { CliError } from '../errors.ts';
import { fileError } from '../load.ts';
import { parsePointsCsv, PointsCsvError } from '../../lib/cloud/points-csv.ts';
import { MemoryBudgetError } from '../../lib/tda/engine.ts';
import { createNodeEngine } from '../../node/engine.ts';

export const spec: CommandSpec = {
  summary: 'persistence diagrams (Vietoris–Rips, Z/2) of a point cloud CSV, as JSON',
  usage: 'aura ph FILE [--max-dim N] [--threshold T]',
  file: true,
  options: {
    'max-dim': { type: 'string', arg: 'N', help: 'highest homology dimension, 0–3 (default 1)' },
    threshold: { type: 'string', arg: 'T', help: 'largest edge length (default: the enclosing radius)' },
  },
  details: [
    'FILE: one point per line, coordinates comma-separated.',
    'Output: {"diagrams": {"0": [[birth, death], …], …}}, death null for an essential class.',
  ],
  examples: ['aura ph cloud.csv', 'aura ph cloud.csv --max-dim 2 --threshold 1.4'],
};

export async function run(args: string[]): Promise<number> {
  const { file, parsed } = parseCommand(spec, args);
  const maxDim = numberFlag(parsed, 'max-dim', 1, { integer: true, min: 0, max: 3 });
  const threshold = parsed.flags.has('threshold') ? numberFlag(parsed, 'threshold', 0, { min: 0 }) : undefined;

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw fileError(file, err);
  }
  let cloud;
  try {
    cloud = parsePointsCsv(text);
  } catch (err) {
    if (err instanceof PointsCsvError) throw new CliError(`${file} ${err.message}`);
    throw err;
  }
  if (cloud.n === 0) throw new CliError(`${file} holds no points: expected one point per line`);

  const engine = await createNodeEngine();
  let result;
  try {
    result = engine.computePoints(cloud.points, cloud.n, cloud.d, { maxDim, threshold });
  } catch (err) {
    if (err instanceof MemoryBudgetError) throw new CliError(err.message);
    throw err;
  }
  const diagrams: Record<string, [number, number | null][]> = {};
  for (const diagram of result.diagrams) {
    diagrams[String(diagram.dim)] = Array.from(diagram.births, (birth, i) => {
      const death = diagram.deaths[i];
      return [birth, Number.isFinite(death) ? death : null];
    });
  }
  process.stdout.write(JSON.stringify({ diagrams }) + '\n');
  return 0;
}
