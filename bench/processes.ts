// The reference engine for the PH bench: Ripser 1.2.1 compiled from ../shared/bench/ripser (never
// committed) into the ignored .cache/ripser/, and a timer for whole processes (Ripser's or `aura ph`).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Pair } from '../test/reference/diagrams.ts';
import { repoRoot, sharedDir } from '../test/helpers/env.ts';

/** As Ripser's own Makefile builds it. */
const CXX_FLAGS = ['-std=c++11', '-O3', '-DNDEBUG'];

/** The path of a Ripser binary, or why there is none (one line, saying what to do). */
export function buildRipser(): { binary: string; built: string } | { skipped: string } {
  const source = join(sharedDir, 'bench/ripser/ripser.cpp');
  if (!existsSync(source))
    return {
      skipped: `SKIPPED: Ripser reference times: ${source} is absent (the reference data folder beside the checkout)`,
    };
  const cxx = process.env.CXX ?? 'c++';
  const version = spawnSync(cxx, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0)
    return {
      skipped: `SKIPPED: Ripser reference times: no C++ compiler \`${cxx}\` (install Debian package g++, or set CXX)`,
    };
  // Named by source and flags, so a changed source or flag set is rebuilt, never silently reused.
  const key = createHash('sha256')
    .update(readFileSync(source))
    .update([cxx, ...CXX_FLAGS].join(' '))
    .digest('hex')
    .slice(0, 12);
  const dir = join(repoRoot, '.cache/ripser');
  const binary = join(dir, `ripser-${key}`);
  const built = `${cxx} ${CXX_FLAGS.join(' ')} (${version.stdout.split('\n')[0]}) from ${source}`;
  if (existsSync(binary)) return { binary, built };
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  const compiled = spawnSync(cxx, [...CXX_FLAGS, source, '-o', partial], { encoding: 'utf8' });
  if (compiled.status !== 0) {
    const why = (compiled.stderr || compiled.error?.message || '').trim().split('\n')[0];
    return { skipped: `SKIPPED: Ripser reference times: \`${cxx} ${CXX_FLAGS.join(' ')}\` failed: ${why}` };
  }
  renameSync(partial, binary);
  return { binary, built };
}

export interface ProcessRun {
  /** milliseconds, as bash's `time` reports them for the command alone */
  wall: number;
  /** user + system CPU milliseconds of the command (its children included) */
  cpu: number;
  stdout: string;
}

/**
 * Runs `argv` to completion once. bash's `time` measures it, so the figures are the command's own (to the
 * millisecond), not Node's spawn overhead. Throws with the command's first stderr line when it fails.
 */
export function timeProcess(argv: string[]): ProcessRun {
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="@@time %3R %3U %3S"; time "$@"', 'bash', ...argv], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  if (r.error) throw new Error(`could not run bash: ${r.error.message}`);
  const stderr = r.stderr.trimEnd().split('\n');
  const times = /^@@time (\S+) (\S+) (\S+)$/.exec(stderr.at(-1) ?? '');
  if (r.status !== 0 || !times) {
    const why = stderr.find((l) => l.trim() && !l.startsWith('@@time')) ?? `exit code ${r.status}`;
    throw new Error(why.trim());
  }
  const [wall, user, sys] = times.slice(1).map((t) => Number(t) * 1000);
  return { wall, cpu: user + sys, stdout: r.stdout };
}

/** `ripser --format point-cloud --dim D [--threshold T] FILE`, as the README of ../shared/bench/ripser says. */
export function ripserArgv(binary: string, file: string, maxDim: number, threshold: number | null): string[] {
  const argv = [binary, '--format', 'point-cloud', '--dim', String(maxDim)];
  if (threshold !== null) argv.push('--threshold', String(threshold));
  return [...argv, file];
}

/**
 * Ripser's printed diagrams: "persistence intervals in dim k:" then one " [birth,death)" per line, death
 * blank for an essential class. Values are printed with 6 significant digits.
 */
export function parseRipserOutput(text: string): Pair[][] {
  const diagrams: Pair[][] = [];
  let current: Pair[] | null = null;
  for (const line of text.split('\n')) {
    const header = /^persistence intervals in dim (\d+):/.exec(line);
    if (header) {
      current = diagrams[Number(header[1])] = [];
      continue;
    }
    const pair = /^\s*\[([^,]+),([^)]*)\)\s*$/.exec(line);
    if (pair && current) current.push([Number(pair[1]), pair[2].trim() === '' ? Infinity : Number(pair[2])]);
  }
  return diagrams;
}

/** `aura ph`'s JSON ({"diagrams": {"0": [[b, d | null], …]}}) as pair lists by dimension. */
export function parseAuraPhOutput(text: string): Pair[][] {
  const json = JSON.parse(text) as { diagrams: Record<string, [number, number | null][]> };
  const out: Pair[][] = [];
  for (const [dim, pairs] of Object.entries(json.diagrams))
    out[Number(dim)] = pairs.map(([b, d]) => [b, d ?? Infinity]);
  return out;
}
