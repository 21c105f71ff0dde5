// The package as a user gets it: `npm pack` (its prepack builds the WASM engine and the CLI), then a global
// install of the tarball without devDependencies, then the installed `aura` run from an unrelated folder.
// The pack runs on a copy of the sources, so its build never rewrites files that other tests are reading.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/env.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  // No NODE_OPTIONS: a loader inherited from the test runner must not help the installed CLI.
  const env = { ...process.env, NODE_OPTIONS: '', npm_config_update_notifier: 'false' };
  return new Promise((resolve) =>
    execFile(cmd, args, { cwd, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

// What the build behind `npm pack` reads; everything else in the checkout stays out of the copy.
const SOURCES = ['package.json', 'README.md', 'asconfig.json', 'tsconfig.json', 'vite.cli.config.ts'];
const SOURCE_DIRS = ['assembly', 'bin', 'src', 'models'];

interface PackFile {
  path: string;
  size: number;
}

describe('the npm package', () => {
  let work: string;
  let tarball: string;
  let files: PackFile[];
  let aura: string;
  let elsewhere: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'aura-pack-'));
    const src = join(work, 'src');
    for (const f of SOURCES) cpSync(join(repoRoot, f), join(src, f));
    for (const d of SOURCE_DIRS) {
      cpSync(join(repoRoot, d), join(src, d), {
        recursive: true,
        filter: (p) => !p.includes('/models/checkpoints') && !p.startsWith(join(repoRoot, 'src', 'wasm')),
      });
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(src, 'node_modules'), 'dir');

    const t0 = performance.now();
    const pack = await run('npm', ['pack', '--json', '--pack-destination', work], src);
    expect(pack.code, pack.stderr).toBe(0);
    // prepack's build logs come before the JSON on stdout.
    const json = pack.stdout.startsWith('[') ? 0 : pack.stdout.lastIndexOf('\n[\n') + 1;
    const info = JSON.parse(pack.stdout.slice(json)) as {
      filename: string;
      size: number;
      unpackedSize: number;
      files: PackFile[];
    }[];
    tarball = join(work, info[0].filename);
    files = info[0].files;
    const largest = [...files].sort((a, b) => b.size - a.size).slice(0, 5);
    console.log(
      `npm pack (build included) ${((performance.now() - t0) / 1000).toFixed(1)} s: ${info[0].filename}, ` +
        `${(info[0].size / 1024).toFixed(0)} KiB packed, ${(info[0].unpackedSize / 1024).toFixed(0)} KiB unpacked, ` +
        `${files.length} files; largest: ${largest.map((f) => `${f.path} ${(f.size / 1024).toFixed(0)} KiB`).join(', ')}`,
    );

    const prefix = join(work, 'prefix');
    const t1 = performance.now();
    const install = await run(
      'npm',
      ['install', '--global', '--prefix', prefix, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball],
      work,
    );
    expect(install.code, install.stderr).toBe(0);
    console.log(`npm install -g --omit=dev of the tarball: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    aura = join(prefix, 'bin', 'aura');
    elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere);
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships the launcher, the built CLI, the engine and the model, and nothing of the development tree', () => {
    const paths = files.map((f) => f.path);
    for (const needed of ['bin/aura.js', 'dist-node/aura.js', 'dist-node/worker.js', 'src/wasm/aura.wasm']) {
      expect(paths).toContain(needed);
    }
    expect(paths).toContain('models/aura-cfc.onnx');
    expect(paths).toContain('models/aura-cfc.json');
    const stray = paths.filter(
      (p) =>
        /^(test|bench|scripts|assembly|\.ci|deploy|public)\//.test(p) ||
        (p.startsWith('src/') && p !== 'src/wasm/aura.wasm') ||
        p.endsWith('.ts'),
    );
    expect(stray).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.private).toBeUndefined();
    expect(pkg.bin).toEqual({ aura: 'bin/aura.js' });
  });

  it('installs without TypeScript tooling and prints its help from any folder', async () => {
    const installed = join(work, 'prefix', 'lib', 'node_modules', 'aura-monitor');
    expect(existsSync(join(installed, 'dist-node', 'aura.js'))).toBe(true);
    expect(existsSync(join(installed, 'node_modules', 'tsx'))).toBe(false);
    const help = await run(aura, ['--help'], elsewhere);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/usage: aura <command>/);
    for (const cmd of ['analyze', 'predict', 'synth', 'whatif']) expect(help.stdout).toContain(cmd);
  });

  it('analyses a generated demo with the installed CLI: a timeline from the worker pool and predictions', async () => {
    const synth = await run(aura, ['synth', '--preset', 'demo', '--format', 'wide-csv'], elsewhere);
    expect(synth.code, synth.stderr).toBe(0);
    writeFileSync(join(elsewhere, 'demo.csv'), synth.stdout);

    const t0 = performance.now();
    // Two workers: the timeline runs in dist-node/worker.js threads, not only in the main thread.
    const res = await run(aura, ['analyze', 'demo.csv', '--json', '--workers', '2'], elsewhere);
    console.log(`installed aura analyze demo.csv --json: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as {
      input: { series: number };
      timeline: unknown[];
      predictions: unknown[];
    };
    expect(report.input.series).toBeGreaterThan(0);
    expect(report.timeline.length).toBeGreaterThan(100);
    expect(report.predictions.length).toBeGreaterThan(0);
  }, 120_000);
});
