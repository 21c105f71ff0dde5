import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

// AURA_BASE sets the public base path for hosts that serve the app below the root (e.g. GitHub Pages).
const base = process.env.AURA_BASE ?? './';

// Cross-origin isolation (threaded WASM) for the dev and preview servers; static hosts get it from
// deploy/nginx.conf or, where headers cannot be set, from the service worker (src/sw.ts).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The onnxruntime WASM (ort-wasm*.wasm, >10 MB) is cached on first use by a CacheFirst route instead of
// being precached; deploy/README.md has the measurements behind that choice. AURA_ORT_CACHE=precache
// builds the other variant for comparison (bench/budget.bench.ts).
const precacheOrt = process.env.AURA_ORT_CACHE === 'precache';

export default defineConfig({
  base,
  plugins: [
    svelte(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // The page registers the worker itself with workbox-window (src/ui/pwa/pwa.svelte.ts) to offer updates.
      injectRegister: false,
      registerType: 'prompt',
      manifestFilename: 'manifest.webmanifest',
      // public/ (icons) and the build output are all listed by globPatterns below.
      includeManifestIcons: false,
      manifest: {
        id: './',
        name: 'AURA — infrastructure monitor',
        short_name: 'AURA',
        description:
          'Finds where a system changed shape and which host is heading for failure, entirely in the browser.',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: '#0f172a',
        background_color: '#0f172a',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
        // Opening a .csv with the installed app hands it to window.launchQueue (src/ui/pwa/launch.ts).
        file_handlers: [{ action: './', accept: { 'text/csv': ['.csv'] } }],
        launch_handler: { client_mode: 'focus-existing' },
      } as Record<string, unknown>,
      injectManifest: {
        globPatterns: ['**/*.{js,mjs,css,html,wasm,onnx,json,svg,png,webmanifest}'],
        globIgnores: precacheOrt ? [] : ['**/ort-wasm*.wasm'],
        maximumFileSizeToCacheInBytes: (precacheOrt ? 64 : 8) * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  worker: { format: 'es' },
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022', sourcemap: true },
});
