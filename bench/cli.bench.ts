// The `aura` CLI as a whole process: the JavaScript built into dist-node/ (what an installed package runs)
// against the TypeScript sources run through tsx (a checkout without a build). Start-up alone (`--help`) and
// a small analysis (synthetic 3 hosts × 6 h, the worker pool off so the figure is the process, not the
// machine's free cores). Runs alternate between the two so load changes hit both alike.
//   node bin/run-ts.js bench/index.ts cli
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test/helpers/env.ts';
import { timeProcess } from './processes.ts';
import { BenchTable, wallCpu, type Runs } from './table.ts';

const RUNS = 5;

export async function run(): Promise<void> {
  // A fresh build, so the figures are for the current sources.
  execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: repoRoot, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'aura-cli-bench-'));
  try {
    const csv = join(dir, 'small.csv');
    const synth = ['synth', '--hosts', '3', '--hours', '6', '--seed', '7', '--format', 'wide-csv'];
    writeFileSync(csv, execFileSync('node', ['bin/aura.js', ...synth], { cwd: repoRoot, maxBuffer: 64 << 20 }));
    const cases: [string, string[]][] = [
      ['aura --help', ['--help']],
      ['aura analyze (3 hosts × 6 h, --json)', ['analyze', csv, '--json', '--workers', '1']],
    ];
    const table = new BenchTable(`CLI whole process, median of ${RUNS} runs: wall ms (CPU ms, user + system)`, [
      'command',
      'built (dist-node/)',
      'source (tsx)',
    ]);
    for (const [label, args] of cases) {
      const runs: Record<'built' | 'source', Runs> = { built: { wall: [], cpu: [] }, source: { wall: [], cpu: [] } };
      for (let i = 0; i <= RUNS; i++) {
        for (const mode of ['built', 'source'] as const) {
          const r = timeProcess(['env', `AURA_CLI=${mode}`, 'node', 'bin/aura.js', ...args]);
          if (i === 0) continue; // warm-up: file cache, tsx's transform cache
          runs[mode].wall.push(r.wall);
          runs[mode].cpu.push(r.cpu);
        }
      }
      table.add(label, wallCpu(runs.built), wallCpu(runs.source));
    }
    table.print();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
