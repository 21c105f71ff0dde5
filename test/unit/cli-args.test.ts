// The CLI's option parsing and help, in-process: one parser (node:util) and one settings schema.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commandHelp, parseCommand, settingsFlags } from '../../src/cli/args.ts';
import { spec as analyze } from '../../src/cli/commands/analyze.ts';
import { spec as whatif } from '../../src/cli/commands/whatif.ts';
import { spec as synth } from '../../src/cli/commands/synth.ts';
import { CliError } from '../../src/cli/errors.ts';
import {
  DEFAULT_SETTINGS,
  SETTING_NAMES,
  SETTINGS_SCHEMA,
  parseSetting,
  settingsFromHash,
  settingsToHashParams,
  timelineOptionsOf,
} from '../../src/lib/analysis/settings.ts';
import { ALL_SCENARIOS } from '../../src/lib/synth/scenarios.ts';

const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return (e as Error).message;
  }
  throw new Error('expected a CliError');
};

describe('parseCommand', () => {
  it('names an unknown option as such, not as a missing value', () => {
    expect(message(() => parseCommand(analyze, ['f.csv', '--jsn']))).toMatch(
      /^unknown option --jsn; see `aura analyze --help`/,
    );
  });
  it('says when a valued option has no value, and when a flag is given one', () => {
    expect(message(() => parseCommand(analyze, ['f.csv', '--window']))).toMatch(/option --window needs a value/);
    expect(message(() => parseCommand(analyze, ['f.csv', '--window', '--json']))).toMatch(/--window needs a value/);
    expect(message(() => parseCommand(analyze, ['f.csv', '--json=yes']))).toMatch(/option --json takes no value/);
  });
  it('reads values that start with a dash (times before the end, negative numbers)', () => {
    const { parsed } = parseCommand(whatif, ['f.csv', '--onset', '-6h', '--failure=+3h']);
    expect(parsed.flags.get('onset')).toBe('-6h');
    expect(parsed.flags.get('failure')).toBe('+3h');
  });
  it('wants exactly one FILE, and none for commands without one', () => {
    expect(message(() => parseCommand(analyze, []))).toMatch(/^usage: aura analyze FILE/);
    expect(message(() => parseCommand(analyze, ['a.csv', 'b.csv']))).toMatch(/^usage:/);
    expect(message(() => parseCommand(synth, ['x']))).toMatch(/unexpected argument 'x'/);
  });
  it('checks settings with the one schema', () => {
    const { parsed } = parseCommand(analyze, ['f.csv', '--window', '40', '--max-dim', '0', '--normalise', 'robust']);
    expect(settingsFlags(parsed)).toEqual({ window: 40, maxDim: 0, normalise: 'robust' });
    const bad = parseCommand(analyze, ['f.csv', '--stride', '2.5']).parsed;
    expect(message(() => settingsFlags(bad))).toBe("--stride must be a whole number, got '2.5'");
  });
});

describe('the fast scale switch', () => {
  const fast = (...flags: string[]) => settingsFlags(parseCommand(analyze, ['f.csv', ...flags]).parsed).fast;
  it('--fast is on, --no-fast off, neither leaves the default, both at once is refused', () => {
    expect(fast('--fast')).toBe('on');
    expect(fast('--no-fast')).toBe('off');
    expect(fast()).toBeUndefined();
    expect(message(() => fast('--fast', '--no-fast'))).toBe('give either --fast or --no-fast, not both');
    expect(message(() => parseCommand(analyze, ['f.csv', '--fast=on']))).toMatch(/option --fast takes no value/);
  });
  it('reaches the timeline as on, off or auto, and the URL hash as fast=', () => {
    expect(timelineOptionsOf({ ...DEFAULT_SETTINGS, fast: 'on' }).fast).toBe(true);
    expect(timelineOptionsOf({ ...DEFAULT_SETTINGS, fast: 'off' }).fast).toBe(false);
    expect(timelineOptionsOf({ ...DEFAULT_SETTINGS, fast: 'auto' }).fast).toBe('auto');
    expect(settingsFromHash('#fast=on').settings.fast).toBe('on');
    expect(settingsFromHash('#fast=yes').settings.fast).toBe(DEFAULT_SETTINGS.fast);
    const other = DEFAULT_SETTINGS.fast === 'off' ? 'on' : 'off';
    expect(settingsToHashParams({ ...DEFAULT_SETTINGS, fast: other }).toString()).toBe(`fast=${other}`);
  });
});

describe('aura <cmd> --help', () => {
  it('gives details, not the usage line again: defaults, ranges, lists, examples', () => {
    const help = commandHelp(analyze);
    expect(help).toMatch(/--window +window width in samples .*\(8–5000; default 60\)/);
    expect(help).toMatch(/--normalise .*\(noise\|robust\|zscore\|minmax; default noise\)/);
    expect(help).toMatch(/--fast \| --no-fast +fast scale: .*\(default (auto|on|off)\)/);
    expect(help).toMatch(/examples:\n {2}aura analyze metrics\.csv/);
    const w = commandHelp(whatif);
    for (const s of ALL_SCENARIOS) expect(w).toContain(s);
  });
});

describe('settings schema', () => {
  it('defaults are valid, and every valid value round-trips through the URL hash', () => {
    for (const name of SETTING_NAMES) expect(parseSetting(name, String(DEFAULT_SETTINGS[name])).ok).toBe(true);
    const arb = fc.record({
      window: fc.integer({ min: 8, max: 5000 }),
      stride: fc.integer({ min: 1, max: 5000 }),
      cloud: fc.constantFrom('auto' as const, 'state' as const, 'takens' as const),
      maxDim: fc.integer({ min: 0, max: 2 }),
      normalise: fc.constantFrom('noise' as const, 'robust' as const, 'zscore' as const, 'minmax' as const),
      threshold: fc.integer({ min: 1, max: 200 }).map((v) => v / 2),
      fast: fc.constantFrom('auto' as const, 'on' as const, 'off' as const),
    });
    fc.assert(
      fc.property(arb, (s) => {
        expect(settingsFromHash('#' + settingsToHashParams(s).toString()).settings).toEqual(s);
      }),
    );
  });
  it('refuses out-of-range and non-numeric text with the range in the message', () => {
    const f = SETTINGS_SCHEMA.threshold;
    expect(f.kind).toBe('number');
    expect(parseSetting('threshold', '0')).toEqual({ ok: false, error: 'threshold must be from 0.5 to 100, got 0' });
    expect(parseSetting('window', 'abc').ok).toBe(false);
    expect(parseSetting('window', '').ok).toBe(false);
    expect(parseSetting('cloud', 'torus')).toEqual({
      ok: false,
      error: "cloud must be one of auto, state, takens, got 'torus'",
    });
  });
});
