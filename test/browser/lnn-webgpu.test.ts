// The committed model on onnxruntime-web's WebGPU EP (SwiftShader here) against its WASM EP, in headless
// Chromium: outputs within 1e-4, and every node placed on the WebGPU EP according to ORT's verbose log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, hasChromium, repoRoot } from '../helpers/env.ts';
import { createRng } from '../../src/lib/synth/rng.ts';

const MODEL = 'aura-cfc';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
};
const ROOTS: Record<string, string> = {
  '/harness/': join(repoRoot, 'test/browser/harness'),
  '/ort/': join(repoRoot, 'node_modules/onnxruntime-web/dist'),
  '/models/': join(repoRoot, 'models'),
};

function serve(): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = Object.keys(ROOTS).find((p) => path.startsWith(p));
    const rel = prefix ? normalize(path.slice(prefix.length)) : '';
    if (!prefix || rel.startsWith('..')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(ROOTS[prefix], rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(!hasChromium())('CfC model on WebGPU in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const logs: string[] = [];

  // SwiftShader compiles every WebGPU shader on the CPU: minutes on a busy two-core machine.
  beforeAll(async () => {
    server = await serve();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--enable-unsafe-webgpu',
      ],
    });
    page = await browser.newPage();
    page.on('console', (m) => logs.push(m.text()));
    const port = (server.address() as AddressInfo).port;
    await page.goto(`http://127.0.0.1:${port}/harness/lnn.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it('has a WebGPU adapter (SwiftShader here)', async () => {
    const info = await page.evaluate(() =>
      (window as unknown as { aura: { adapterInfo(): Promise<unknown> } }).aura.adapterInfo(),
    );
    console.log('WebGPU adapter:', JSON.stringify(info));
    expect(info).not.toBeNull();
  });

  it('WebGPU outputs match WASM within 1e-4 and every node runs on the WebGPU EP', async () => {
    const card = JSON.parse(await readFile(join(repoRoot, 'models', `${MODEL}.json`), 'utf8'));
    const batch = 16;
    const T = card.seqLen;
    const F = card.featureNames.length;
    const rng = createRng(42);
    const x = Array.from({ length: batch * T * F }, () => Math.max(-4, Math.min(4, rng.normal())));
    const dt = Array.from({ length: batch * T }, () => rng.pick([1, 1, 1, 2, 0.5, 3]));
    const url = `/models/${MODEL}.onnx`;
    type Run = (
      u: string,
      ep: string,
      x: number[],
      dt: number[],
      b: number,
      t: number,
      f: number,
      v: boolean,
    ) => Promise<Record<string, number[]>>;
    const call = (ep: string, verbose: boolean) =>
      page.evaluate(
        ([u, e, xs, ds, b, t, f, v]) =>
          (window as unknown as { aura: { runModel: Run } }).aura.runModel(
            u as string,
            e as string,
            xs as number[],
            ds as number[],
            b as number,
            t as number,
            f as number,
            v as boolean,
          ),
        [url, ep, x, dt, batch, T, F, verbose] as const,
      );
    const wasm = await call('wasm', false);
    logs.length = 0;
    const gpu = await call('webgpu', true);
    let maxDiff = 0;
    for (const name of Object.keys(wasm)) {
      expect(gpu[name].length).toBe(wasm[name].length);
      for (let i = 0; i < wasm[name].length; i++) maxDiff = Math.max(maxDiff, Math.abs(gpu[name][i] - wasm[name][i]));
    }
    console.log(`WebGPU vs WASM max abs diff: ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThanOrEqual(1e-4);

    const placement = logs.filter((l) => /placed on|Node placements|preferred execution providers/i.test(l));
    console.log(placement.slice(0, 6).join('\n'));
    expect(
      placement.some((l) =>
        /All nodes (have been )?placed on \[(WebGpuExecutionProvider|JsExecutionProvider)\]/.test(l),
      ),
    ).toBe(true);
    expect(logs.some((l) => /placed on \[CPUExecutionProvider\]|not assigned to the preferred/i.test(l))).toBe(false);
  }, 600_000);
});
