// Node host: reads the compiled module from src/wasm (built by `npm run build:wasm`, run on install).
import { readFile } from 'node:fs/promises';
import { instantiateAura, type AuraExports } from './aura.ts';

export const wasmFileUrl = new URL('../../wasm/aura.wasm', import.meta.url);

let compiled: Promise<WebAssembly.Module> | undefined;

/** Compiles the module once per process; each call returns a fresh instance with its own memory. */
export async function loadAuraNode(): Promise<AuraExports> {
  compiled ??= readFile(wasmFileUrl).then(
    (bytes) => WebAssembly.compile(bytes),
    () => {
      throw new Error('src/wasm/aura.wasm is missing: run `npm run build:wasm` (npm install does it too)');
    },
  );
  return instantiateAura(await compiled);
}
