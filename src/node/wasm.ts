// Node host: reads the compiled module from src/wasm (built by `npm run build:wasm`, shipped in the package).
import { readFile } from 'node:fs/promises';
import { instantiateAura, type AuraExports } from '../lib/wasm/aura.ts';
import { wasmPath } from './assets.ts';

let compiled: Promise<WebAssembly.Module> | undefined;

/** Compiles the module once per process; each call returns a fresh instance with its own memory. */
export async function loadAuraNode(): Promise<AuraExports> {
  compiled ??= readFile(wasmPath).then(
    (bytes) => WebAssembly.compile(bytes),
    () => {
      throw new Error(`${wasmPath} is missing: run \`npm run build:wasm\` in the checkout (npm install does it too)`);
    },
  );
  return instantiateAura(await compiled);
}
