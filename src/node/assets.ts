// Files the Node host reads at run time: the WebAssembly module and the model. The same code runs from the
// source tree (src/node/*.ts under tsx or vitest) and from the built CLI (dist-node/*.js in an installed
// package), at different depths, so paths start from the package root: the nearest folder with package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: the aura package is incomplete`);
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The compiled PH engine (built by `npm run build:wasm`; shipped in the package). */
export const wasmPath = join(packageRoot, 'src', 'wasm', 'aura.wasm');

/** The committed models and their cards. */
export const modelsDir = join(packageRoot, 'models');
