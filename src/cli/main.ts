// The `aura` command line: dispatches to one module per command in ./commands. Each command module exports
// its `spec` (options, help, examples) and `run(args): Promise<number>` (the exit code).
import { commandHelp, type CommandSpec } from './args.ts';
import { escapeControls, shown } from '../lib/text/quote.ts';
import { CliError } from './errors.ts';
import * as ph from './commands/ph.ts';
import * as inspect from './commands/inspect.ts';
import * as analyze from './commands/analyze.ts';
import * as synth from './commands/synth.ts';
import * as predict from './commands/predict.ts';
import * as whatif from './commands/whatif.ts';
import * as watch from './commands/watch.ts';
import * as rules from './commands/rules.ts';

export interface Command {
  spec: CommandSpec;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, Command> = { ph, inspect, analyze, synth, predict, whatif, watch, rules };

function help(): string {
  const lines = [
    'aura: topological anomaly detection and failure prediction for metrics',
    '',
    'usage: aura <command> [options]',
    '',
    'commands:',
  ];
  for (const [name, cmd] of Object.entries(commands)) {
    lines.push(`  ${name.padEnd(9)} ${cmd.spec.summary}`);
    lines.push(`            ${cmd.spec.usage}`);
  }
  lines.push('', 'Run `aura <command> --help` for its options, defaults and examples.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return 0;
  }
  const cmd = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!cmd) {
    process.stderr.write(`aura: unknown command '${shown(name)}'. Run \`aura --help\` for the list of commands.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(cmd.spec) + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`aura ${name}: ${escapeControls(err.message)}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    // Messages quote input (file names, cells, options): control bytes never reach the terminal raw.
    process.stderr.write(`aura ${name}: ${escapeControls(message.split('\n')[0])}\n`);
    return 2;
  }
}
