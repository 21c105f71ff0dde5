// Which onnxruntime-web execution provider to use: WebGPU on a real GPU, WASM otherwise.
// The rule is a pure function of what was probed; `probeGpu` does the probing in a browser or worker.

export type ExecutionProvider = 'webgpu' | 'wasm';
export type EpPreference = ExecutionProvider | 'auto';

/** What the page learned from navigator.gpu. */
export interface GpuProbe {
  /** navigator.gpu exists. */
  api: boolean;
  /** requestAdapter() returned an adapter. */
  adapter: boolean;
  /** The adapter is a software fallback (isFallbackAdapter, or a CPU rasteriser such as SwiftShader). */
  fallback: boolean;
  /** Vendor/architecture/description, for the explanation. */
  description?: string;
}

export interface EpDecision {
  ep: ExecutionProvider;
  reason: string;
}

export function chooseExecutionProvider(probe: GpuProbe, preference: EpPreference = 'auto'): EpDecision {
  if (preference === 'wasm') return { ep: 'wasm', reason: 'WASM chosen by the user' };
  if (preference === 'webgpu') {
    return probe.adapter
      ? { ep: 'webgpu', reason: 'WebGPU chosen by the user' }
      : { ep: 'wasm', reason: 'WebGPU was requested but this browser offers no WebGPU adapter; using WASM' };
  }
  if (!probe.api) return { ep: 'wasm', reason: 'no WebGPU in this browser' };
  if (!probe.adapter) return { ep: 'wasm', reason: 'WebGPU is present but no adapter is available' };
  if (probe.fallback) {
    return {
      ep: 'wasm',
      reason: `the WebGPU adapter is a software fallback${probe.description ? ` (${probe.description})` : ''}`,
    };
  }
  return { ep: 'webgpu', reason: `WebGPU on ${probe.description || 'a hardware adapter'}` };
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|lavapipe|warp|microsoft basic render/i;

/** Probes navigator.gpu (pass `navigator`, or `self.navigator` in a worker). Never throws. */
export async function probeGpu(nav: { gpu?: unknown } | undefined): Promise<GpuProbe> {
  const gpu = nav?.gpu as GpuLike | undefined;
  if (!gpu || typeof gpu.requestAdapter !== 'function') return { api: false, adapter: false, fallback: false };
  let adapter: AdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    adapter = null;
  }
  if (!adapter) return { api: true, adapter: false, fallback: false };
  const info = adapter.info ?? {};
  const description = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const fallback = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || SOFTWARE.test(description);
  return { api: true, adapter: true, fallback, description };
}
