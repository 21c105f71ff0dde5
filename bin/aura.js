#!/usr/bin/env node
// Launcher of the `aura` CLI. An installed package runs the JavaScript built into dist-node/ (`npm run
// build:cli`, run by `npm run build` and `npm pack`). In a git checkout, where src/cli is present, a missing
// or stale build (older than the sources) falls back to running the TypeScript through tsx, a devDependency,
// so edits take effect without a rebuild.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist-node', 'aura.js');
const source = join(root, 'src', 'cli', 'main.ts');

/** The newest modification time of the TypeScript the bundle is built from (a folder's changes when a file
 * was added, removed or renamed). */
function newestSource(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function useSource() {
  if (!existsSync(source)) return false;
  // AURA_CLI=source or =built picks one in a checkout (bench/cli.bench.ts times both).
  if (process.env.AURA_CLI === 'source') return true;
  if (process.env.AURA_CLI === 'built' && existsSync(built)) return false;
  if (!existsSync(built)) {
    // Only for a person at a terminal: scripts and tests read stderr for the commands' own messages.
    if (process.stderr.isTTY)
      process.stderr.write('aura: running from source; `npm run build:cli` builds dist-node/\n');
    return true;
  }
  const bundle = statSync(built).mtimeMs;
  return ['cli', 'lib', 'node'].some((dir) => newestSource(join(root, 'src', dir)) > bundle);
}

let main;
if (useSource()) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(source).href));
} else if (existsSync(built)) {
  ({ main } = await import(pathToFileURL(built).href));
} else {
  process.stderr.write(`aura: ${built} is missing: this installation is incomplete; reinstall the package\n`);
  process.exit(2);
}
process.exitCode = await main(process.argv.slice(2));
