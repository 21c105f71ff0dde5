// Renders the SVG app icons in public/icons to the PNG sizes the web manifest lists, with headless Chromium.
// Run after editing an SVG: `node bin/run-ts.js scripts/render-icons.ts`; commit the PNGs.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchChromium } from '../test/helpers/browser.ts';
import { repoRoot } from '../test/helpers/env.ts';

const dir = resolve(repoRoot, 'public/icons');
const outputs = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'icon.svg', png: 'apple-touch-icon-180.png', size: 180 },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512 },
];

const browser = await launchChromium();
try {
  for (const { svg, png, size } of outputs) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const markup = await readFile(resolve(dir, svg), 'utf8');
    const src = `data:image/svg+xml;base64,${Buffer.from(markup).toString('base64')}`;
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}</style><img src="${src}" width="${size}" height="${size}">`,
    );
    await page.waitForFunction(() => document.images[0]?.complete);
    const bytes = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await writeFile(resolve(dir, png), bytes);
    await page.close();
    console.log(`${png}: ${size}x${size}, ${bytes.length} bytes`);
  }
} finally {
  await browser.close();
}
