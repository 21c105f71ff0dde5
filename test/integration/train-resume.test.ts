// `npm run train` checkpoints so an interrupted run can resume: a run stopped half way and started again
// must end with exactly the weights of a run that was never interrupted (same seed, same batches).
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A small training run (2 failure runs, 1 benign run, 6 steps) into its own models folder. */
function train(dir: string, ...extra: string[]): Promise<{ code: number; out: string }> {
  const args = ['bin/run-ts.js', 'scripts/train.ts', '--name', 'tiny', '--runs', '2', '--benign-runs', '1'];
  args.push('--steps', '6', '--ttf-batch', '8', '--models-dir', dir, '--no-eval', ...extra);
  return new Promise((resolve) => {
    execFile('node', args, { cwd: repoRoot, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'aura-train-'));
  dirs.push(d);
  return d;
};

describe('training checkpoints', () => {
  it('an interrupted run resumed from its checkpoint ends bit-identical to an unbroken run', async () => {
    const whole = tempDir();
    const broken = tempDir();
    const a = await train(whole, '--fresh');
    expect(a.code, a.out).toBe(0);

    const first = await train(broken, '--fresh', '--stop-at', '3');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('stopped at step 3');
    expect(existsSync(join(broken, 'tiny.onnx'))).toBe(false);
    const ckpt = JSON.parse(readFileSync(join(broken, 'checkpoints', 'tiny.json'), 'utf8')) as { step: number };
    expect(ckpt.step).toBe(3);

    const second = await train(broken);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain('resuming from');
    expect(second.out).toContain('at step 3');

    const wholeOnnx = readFileSync(join(whole, 'tiny.onnx'));
    const resumedOnnx = readFileSync(join(broken, 'tiny.onnx'));
    expect(resumedOnnx.length).toBe(wholeOnnx.length);
    expect(resumedOnnx.equals(wholeOnnx)).toBe(true);

    // A checkpoint resumes only the run it came from: other options are refused with what to do.
    const mixed = await train(broken, '--ttf-weight', '0.7');
    expect(mixed.code).not.toBe(0);
    expect(mixed.out).toMatch(/from a run with other options .* or with --fresh to start over/);

    // And a fresh run from a different seed is not the same model (the comparison can fail).
    const other = tempDir();
    expect((await train(other, '--fresh', '--seed', '2')).code).toBe(0);
    expect(readFileSync(join(other, 'tiny.onnx')).equals(wholeOnnx)).toBe(false);
  }, 120_000);
});
