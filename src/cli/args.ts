// Option parsing for every command, on node:util's parseArgs (strict: an unknown option is an error).
// Each command declares a CommandSpec; `aura <cmd> --help` is generated from it.
import { parseArgs as parseNodeArgs } from 'node:util';
import { CliError } from './errors.ts';
import {
  DEFAULT_SETTINGS,
  SETTING_NAMES,
  SETTINGS_SCHEMA,
  parseSetting,
  settingsHelp,
  type Settings,
} from '../lib/analysis/settings.ts';

export interface OptionSpec {
  type: 'boolean' | 'string';
  /** The value's placeholder in help (`N`, `WHEN`). */
  arg?: string;
  help: string;
}

export interface CommandSpec {
  summary: string;
  /** One line: the command and its options. */
  usage: string;
  options: Record<string, OptionSpec>;
  /** The command reads exactly one FILE argument. */
  file: boolean;
  /** Extra help: allowed values, lists, what the output holds. */
  details?: string[];
  examples: string[];
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * The analysis settings as options (`--window`, `--max-dim`, …), from the one settings schema; a switch
 * (`fast`) is the pair `--fast` / `--no-fast`.
 */
export const SETTINGS_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  SETTING_NAMES.flatMap((name): [string, OptionSpec][] => {
    const f = SETTINGS_SCHEMA[name];
    if (f.kind === 'choice' && f.switch)
      return [
        [f.flag, { type: 'boolean', help: `${f.help}: on` }],
        [`no-${f.flag}`, { type: 'boolean', help: `${f.help}: off` }],
      ];
    return [[f.flag, { type: 'string', arg: f.kind === 'choice' ? f.choices.join('|') : 'N', help: f.help }]];
  }),
);

/** Parses `args` against the spec; unknown options, missing values and a missing or second FILE are errors. */
export function parseCommand(spec: CommandSpec, args: string[]): { file: string; parsed: ParsedArgs } {
  const options = Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, { type: o.type }]));
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseNodeArgs({
      args: joinDashValues(args, spec),
      options,
      allowPositionals: true,
      strict: true,
    }) as {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
    });
  } catch (err) {
    throw new CliError(`${argumentError(err as Error & { code?: string }, spec)}; see \`${command(spec)} --help\``);
  }
  const flags = new Map<string, string | true>();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== false) flags.set(k, v === true ? true : v);
  const parsed = { positional: positionals, flags };
  if (!spec.file) {
    if (positionals.length > 0)
      throw new CliError(`unexpected argument '${positionals[0]}'; see \`${command(spec)} --help\``);
    return { file: '', parsed };
  }
  if (positionals.length !== 1) throw new CliError(`usage: ${spec.usage}`);
  return { file: positionals[0], parsed };
}

/**
 * `--at -12h` as `--at=-12h`: node:util reads a value that starts with '-' as an option, but negative
 * numbers and times before the end (`-6h`) are values here. A value starting with `--` stays an error.
 */
function joinDashValues(args: string[], spec: CommandSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : '';
    const next = args[i + 1];
    if (spec.options[name]?.type === 'string' && next?.startsWith('-') && !next.startsWith('--') && next !== '-') {
      out.push(`${args[i]}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

function command(spec: CommandSpec): string {
  return spec.usage.split(' ').slice(0, 2).join(' ');
}

/** node:util's messages, in the CLI's words. */
function argumentError(err: Error & { code?: string }, spec: CommandSpec): string {
  const name = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const opt = name.replace(/^-+/, '');
      return spec.options[opt]?.type === 'boolean' ? `option ${name} takes no value` : `option ${name} needs a value`;
    }
    default:
      return err.message.split('\n')[0];
  }
}

/** `aura <cmd> --help`: usage, every option with its default, details, examples. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [spec.summary, '', `usage: ${spec.usage}`, '', 'options:'];
  const settingFlags = new Set(Object.keys(SETTINGS_OPTIONS));
  const own = Object.entries(spec.options).filter(([k]) => !settingFlags.has(k));
  for (const [name, o] of own) {
    const left = `--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
    lines.push(`  ${left.padEnd(24)} ${o.help}`);
  }
  const settings = settingsHelp().filter((l) => Object.keys(spec.options).some((k) => l.startsWith(`  --${k} `)));
  if (settings.length) lines.push('', 'analysis settings (the app uses the same ones):', ...settings);
  if (spec.details?.length) lines.push('', ...spec.details);
  lines.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
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

/** A duration option's text read by `parse` (parseStep, parseDuration); a bad one names the option. */
export function durationFlag(text: string, name: string, parse: (s: string) => number): number {
  try {
    return parse(text);
  } catch (err) {
    throw new CliError(`--${name}: ${(err as Error).message}`);
  }
}

/** The analysis settings given as options, checked by the one settings validator. */
export function settingsFlags(parsed: ParsedArgs): Partial<Settings> {
  const s: Partial<Settings> = {};
  for (const name of SETTING_NAMES) {
    const f = SETTINGS_SCHEMA[name];
    if (f.kind === 'choice' && f.switch) {
      const on = parsed.flags.has(f.flag);
      const off = parsed.flags.has(`no-${f.flag}`);
      if (on && off) throw new CliError(`give either --${f.flag} or --no-${f.flag}, not both`);
      if (on || off) (s as Record<string, unknown>)[name] = on ? 'on' : 'off';
      continue;
    }
    const raw = parsed.flags.get(f.flag);
    if (raw === undefined) continue;
    const r = parseSetting(name, String(raw));
    if (!r.ok) throw new CliError(`--${r.error}`);
    (s as Record<string, unknown>)[name] = r.value;
  }
  return s;
}

export { DEFAULT_SETTINGS };
