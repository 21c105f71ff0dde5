// The `aura` command line: dispatches to one module per command in ./commands.
// Each command module exports `run(args: string[]): Promise<number>` (the exit code) and a one-line `summary`.
import { CliError } from './errors.ts';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  ph: () => import('./commands/ph.ts'),
  inspect: () => import('./commands/inspect.ts'),
  analyze: () => import('./commands/analyze.ts'),
  synth: () => import('./commands/synth.ts'),
  predict: () => import('./commands/predict.ts'),
  whatif: () => import('./commands/whatif.ts'),
};

async function help(): Promise<string> {
  const lines = [
    'aura: topological anomaly detection and failure prediction for metrics',
    '',
    'usage: aura <command> [options]',
    '',
    'commands:',
  ];
  for (const [name, load] of Object.entries(commands)) {
    try {
      const cmd = await load();
      lines.push(`  ${name.padEnd(9)} ${cmd.summary}`);
      lines.push(`            ${cmd.usage}`);
    } catch {
      lines.push(`  ${name.padEnd(9)} (not available in this build)`);
    }
  }
  lines.push('', 'Run `aura <command> --help` for details.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help()) + '\n');
    return name ? 0 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`aura: unknown command '${name}'. Run \`aura --help\` for the list of commands.\n`);
    return 2;
  }
  try {
    const cmd = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${cmd.summary}\nusage: ${cmd.usage}\n`);
      return 0;
    }
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`aura ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`aura ${name}: ${message.split('\n')[0]}\n`);
    return 2;
  }
}
