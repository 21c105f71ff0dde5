import { defineConfig } from 'vite';

// The `aura` CLI for Node, built to JavaScript so an installed package needs no TypeScript loader: two entries,
// the CLI and the timeline pool's worker_threads worker (src/node/pool.ts loads `./worker.js` beside itself,
// so every chunk stays in this one folder). Runtime dependencies (onnxruntime-web) stay external: npm
// installs them. The WASM module and the model are read from the package root at run time (src/node/assets.ts).
export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'dist-node',
    emptyOutDir: true,
    sourcemap: false,
    minify: false,
    rollupOptions: {
      input: { aura: 'src/cli/main.ts', worker: 'src/node/worker.ts' },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
