import { describe, expect, it } from 'vitest';
import { chooseExecutionProvider, probeGpu } from '../../src/lib/lnn/ep.ts';

describe('chooseExecutionProvider', () => {
  const hw = { api: true, adapter: true, fallback: false, description: 'nvidia ampere' };
  it('uses WebGPU on a hardware adapter and WASM otherwise', () => {
    expect(chooseExecutionProvider(hw).ep).toBe('webgpu');
    expect(chooseExecutionProvider({ api: false, adapter: false, fallback: false }).ep).toBe('wasm');
    expect(chooseExecutionProvider({ api: true, adapter: false, fallback: false }).ep).toBe('wasm');
    const sw = chooseExecutionProvider({ api: true, adapter: true, fallback: true, description: 'google swiftshader' });
    expect(sw.ep).toBe('wasm');
    expect(sw.reason).toMatch(/software fallback/);
  });
  it('lets the user force either, WebGPU only when an adapter exists', () => {
    expect(chooseExecutionProvider(hw, 'wasm').ep).toBe('wasm');
    expect(chooseExecutionProvider({ api: true, adapter: true, fallback: true }, 'webgpu').ep).toBe('webgpu');
    expect(chooseExecutionProvider({ api: false, adapter: false, fallback: false }, 'webgpu').ep).toBe('wasm');
  });
});

describe('probeGpu', () => {
  it('reads isFallbackAdapter from adapter.info and recognises software rasterisers by name', async () => {
    const nav = (info: Record<string, unknown>) => ({ gpu: { requestAdapter: async () => ({ info }) } });
    expect(await probeGpu(nav({ vendor: 'nvidia', architecture: 'ampere' }))).toMatchObject({
      adapter: true,
      fallback: false,
    });
    expect(await probeGpu(nav({ vendor: 'x', isFallbackAdapter: true }))).toMatchObject({ fallback: true });
    expect(await probeGpu(nav({ vendor: 'google', architecture: 'swiftshader' }))).toMatchObject({ fallback: true });
  });
  it('copes with no navigator, no gpu, a null adapter and a throwing requestAdapter', async () => {
    expect(await probeGpu(undefined)).toEqual({ api: false, adapter: false, fallback: false });
    expect(await probeGpu({})).toEqual({ api: false, adapter: false, fallback: false });
    expect(await probeGpu({ gpu: { requestAdapter: async () => null } })).toEqual({
      api: true,
      adapter: false,
      fallback: false,
    });
    const throwing = { gpu: { requestAdapter: async () => Promise.reject(new Error('lost')) } };
    expect(await probeGpu(throwing)).toEqual({ api: true, adapter: false, fallback: false });
  });
});
