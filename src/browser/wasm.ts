// Browser host for the WASM engine: Vite emits the module as a hashed asset; it is compiled once per worker.
import wasmUrl from '../wasm/aura.wasm?url';
import { instantiateAura, type AuraExports } from '../lib/wasm/aura.ts';

let compiled: Promise<WebAssembly.Module> | undefined;

export async function loadAuraBrowser(): Promise<AuraExports> {
  compiled ??= WebAssembly.compileStreaming(fetch(wasmUrl));
  return instantiateAura(await compiled);
}
