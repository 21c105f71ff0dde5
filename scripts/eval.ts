// `npm run eval`: measured quality. Runs every scripts/eval-*.ts module (anomaly timeline on NAB, LNN on
// held-out scenarios) and prints their tables. Each module exports `run(): Promise<void>`.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => /^eval-.+\.ts$/.test(f))
  .sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

for (const file of modules) {
  console.log(`\n## ${file.replace(/^eval-|\.ts$/g, '')}\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run(): Promise<void> };
  await mod.run();
}
