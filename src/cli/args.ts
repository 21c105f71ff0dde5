import { CliError } from './errors.ts';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Parses `--name value`, `--name=value` and boolean `--flag`; `booleans` lists flags that take no value. */
export function parseArgs(args: string[], booleans: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (booleans.includes(name)) flags.set(name, true);
    else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new CliError(`option --${name} needs a value`);
      flags.set(name, value);
      i++;
    }
  }
  return { positional, flags };
}

/** Reads a numeric flag, or returns `fallback`; a non-number is an operator error. */
export function numberFlag(
  parsed: ParsedArgs,
  name: string,
  fallback: number,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number {
  const raw = parsed.flags.get(name);
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isFinite(value) || (opts.integer && !Number.isInteger(value))) {
    throw new CliError(`--${name} must be ${opts.integer ? 'an integer' : 'a number'}, got '${String(raw)}'`);
  }
  if (opts.min !== undefined && value < opts.min)
    throw new CliError(`--${name} must be at least ${opts.min}, got ${value}`);
  if (opts.max !== undefined && value > opts.max)
    throw new CliError(`--${name} must be at most ${opts.max}, got ${value}`);
  return value;
}

/** Parses a command that reads one FILE, refusing a missing or second file and any option it does not know. */
export function parseFileCommand(
  args: string[],
  opts: { booleans: readonly string[]; valued: readonly string[]; usage: string },
): { file: string; parsed: ParsedArgs } {
  const parsed = parseArgs(args, opts.booleans);
  const file = parsed.positional[0];
  if (!file || parsed.positional.length > 1) throw new CliError(`usage: ${opts.usage}`);
  for (const name of parsed.flags.keys()) {
    if (!opts.booleans.includes(name) && !opts.valued.includes(name))
      throw new CliError(`unknown option --${name}; usage: ${opts.usage}`);
  }
  return { file, parsed };
}
